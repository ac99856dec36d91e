namespace BotEngine.Handoff;

/// <summary>A note left by the transferring operator, shown to the receiver before the conversation.</summary>
public sealed record TransferNote(string FromOperatorId, string Text, DateTimeOffset At);
