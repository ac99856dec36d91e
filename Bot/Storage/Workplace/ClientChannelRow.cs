namespace BotEngine.Storage.Workplace;

/// <summary>An account a client writes from: the channel and the name it gave.</summary>
public sealed record ClientChannelRow
{
    public string Channel { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string? DisplayName { get; init; }
}
