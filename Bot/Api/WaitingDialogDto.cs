namespace BotEngine.Bot.Api;

/// <summary>A waiting dialog on monitoring: the client (name when known), where it waits (call centre, language, line, skills), how long, its place and the estimate.</summary>
public sealed record WaitingDialogDto(
    string Id, string ClientId, string? Language, string? Line, string? CallCentre, DateTimeOffset QueuedAt, double WaitingSeconds,
    int Priority, int Position, double? EstimatedWaitSeconds, string? ClientName = null, IReadOnlyCollection<string>? Skills = null, string? Channel = null);
