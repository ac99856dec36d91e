namespace BotEngine.Handoff;

/// <summary>One row of the status history, kept for statistics.</summary>
public sealed record StatusChange(string OperatorId, OperatorStatus From, OperatorStatus To, DateTimeOffset At, string? ChangedBy = null);
