using System.Data.Common;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

public sealed record OutboundMessage(string Author, string? AuthorId, string? AuthorName, Activity Activity);
