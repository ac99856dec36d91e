namespace BotEngine.Handoff;

public sealed record ClosingInfo(CloseReason Reason, string? Topic, bool? ClientDissatisfied, string? ClosedBy, DateTimeOffset At);
