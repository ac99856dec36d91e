using BotEngine.Conversations;

namespace BotEngine.Engine.Desk;

public sealed record HandoffEffects(IReadOnlyList<StoredMessage> Sent, bool NeedsRouting);
