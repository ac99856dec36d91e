namespace BotEngine.Storage.Messages;

/// <summary>
/// The place a message took in its known dialog (<see cref="InboundStore.TakeTurnPlaceAsync"/>): its sequence in the
/// conversation, and whether the turn planned ahead for it may commit with it.
/// </summary>
public sealed record TurnPlace(long Seq, bool MayCommit);
