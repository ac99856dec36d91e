namespace BotEngine.Storage.Desk;

/// <summary>What monitoring shows of a dialog beside its place: the client's name, the channel, when an operator got it, and the bot's memory while the bot holds it.</summary>
public sealed class MonitoredDialogRow
{
    public string Id { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? ClientName { get; init; }
    public long? AssignedAt { get; init; }
    /// <summary>Only for dialogs with the bot (the largest column): its agent or scenario.</summary>
    public string? BotState { get; init; }
}
