using BotEngine.Storage;

namespace BotEngine.Engine.Desk;

public sealed record HandoffEffects(IReadOnlyList<MessageRow> Sent, bool NeedsRouting);
