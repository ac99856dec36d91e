namespace BotEngine.Bot.Api;

/// <summary>An operator's seconds in each status over the period, and with at least one dialog (overlaps counted once).</summary>
public sealed record OperatorStatusTimesDto(string OperatorId, string Login, string DisplayName, double Online, double Invisible, double Lunch,
    double Training, double Offline, double WithDialogs);
