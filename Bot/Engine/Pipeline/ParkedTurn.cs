namespace BotEngine.Engine.Pipeline;

/// <summary>A message whose turn gave up, as the parked-turns API lists it.</summary>
public sealed record ParkedTurn(
    string MessageId, string DialogId, string ConversationId, string DialogState, string? Text, int Attempts, string? LastError,
    DateTimeOffset ReceivedAt, DateTimeOffset ParkedAt);
