namespace BotEngine.Storage.Statistics;

/// <summary>An operator's status from a time on (a row of <c>operator_status_log</c>).</summary>
public sealed record StatusChangeRow
{
    public string OperatorId { get; init; } = "";
    public string Status { get; init; } = "";
    public long At { get; init; }
}
