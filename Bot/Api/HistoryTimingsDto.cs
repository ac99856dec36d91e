namespace BotEngine.Bot.Api;

/// <summary>
/// When a dialog was opened, first queued, first assigned, first answered by an operator and closed, with the waits
/// between them in seconds (null where a step never happened).
/// </summary>
public sealed record HistoryTimingsDto(
    DateTimeOffset OpenedAt, DateTimeOffset? QueuedAt, DateTimeOffset? AssignedAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? ClosedAt,
    double? WaitSeconds, double? FirstResponseSeconds, double? DurationSeconds);
