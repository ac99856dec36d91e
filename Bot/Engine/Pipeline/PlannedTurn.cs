using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;

namespace BotEngine.Engine.Pipeline;

/// <summary>A turn planned before its message was stored, to commit with it (see <see cref="TurnProcessor.PlanAheadAsync"/>).</summary>
public sealed record PlannedTurn(StoredMessage Message, StoredDialog Dialog, TurnPlan Plan, IReadOnlyList<StoredMessage> Replies);
