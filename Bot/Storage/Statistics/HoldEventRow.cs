namespace BotEngine.Storage.Statistics;

/// <summary>A dialog event that starts an operator's hold of a dialog (<c>assigned</c>) or ends it (the others).</summary>
public sealed record HoldEventRow
{
    public string DialogId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? OperatorId { get; init; }
    public long At { get; init; }
}
