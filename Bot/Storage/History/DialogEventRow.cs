namespace BotEngine.Storage.History;

/// <summary>One stored event of a dialog (opened, queued, assigned, replied, transferred, closed...).</summary>
public sealed record DialogEventRow
{
    public string Kind { get; init; } = "";
    public string? OperatorId { get; init; }
    public long At { get; init; }
    public string? Data { get; init; }
}
