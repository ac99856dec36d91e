namespace BotEngine.Handoff;

/// <summary>
/// A failure parked for inspection: <paramref name="Kind"/> says what failed (a channel delivery, a turn), and
/// <paramref name="Subject"/> names what it failed on (a conversation, a message).
/// </summary>
public sealed record ProcessingErrorView(DateTimeOffset At, string Kind, string? Subject, string Message);
