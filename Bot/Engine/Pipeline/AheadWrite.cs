using BotEngine.Conversations;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// A turn planned ahead, added to its message's batch (<see cref="TurnProcessor.AddWriteAhead"/>): the index of its
/// versioned state update in the batch, and the replies it sends.
/// </summary>
public sealed record AheadWrite(PlannedTurn Turn, int StateUpdate, IReadOnlyList<StoredMessage> Sent);
