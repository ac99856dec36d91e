using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline;

public sealed record OutboundMessage(string Author, string? AuthorId, string? AuthorName, Activity Activity);
