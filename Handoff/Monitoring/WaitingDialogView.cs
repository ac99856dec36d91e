namespace BotEngine.Handoff;

public sealed record WaitingDialogView(
    string DialogId, string ClientId, string? CallCentre, string? Language, string? Line, int Priority,
    DateTimeOffset QueuedAt, TimeSpan Waiting, int Position, TimeSpan? EstimatedWait);
