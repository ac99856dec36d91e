namespace BotEngine.Storage.Export;

/// <summary>A closed dialog's statistics facts as the statistics export gives them, with the dialog's own fields.</summary>
public sealed record ExportFactsRow
{
    public string DialogId { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public string? OperatorId { get; init; }
    public long OpenedAt { get; init; }
    public long ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseTopic { get; init; }
    public long? Rating { get; init; }
    public long? QueuedAt { get; init; }
    public long Assignments { get; init; }
    public long? FirstReplyAt { get; init; }
    public long Messages { get; init; }
    public long ClientMessages { get; init; }
    public long BotMessages { get; init; }
    public long OperatorMessages { get; init; }
    public long Pairs { get; init; }
    public long PairMicros { get; init; }
}
