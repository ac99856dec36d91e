namespace BotEngine.Bot.Api;

public sealed record WaitingDialogDto(
    string Id, string ClientId, string? Language, string? Line, string? CallCentre, DateTimeOffset QueuedAt, double WaitingSeconds,
    int Priority, int Position, double? EstimatedWaitSeconds);
