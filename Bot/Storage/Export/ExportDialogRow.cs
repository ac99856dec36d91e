namespace BotEngine.Storage.Export;

/// <summary>A dialog as the export gives it (its messages are read separately).</summary>
public sealed record ExportDialogRow
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string Channel { get; init; } = "";
    public string State { get; init; } = "";
    public string Language { get; init; } = "";
    public string? OperatorId { get; init; }
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public long OpenedAt { get; init; }
    public long? QueuedAt { get; init; }
    public long? AssignedAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseTopic { get; init; }
    public long? Rating { get; init; }
    public string? RatingComment { get; init; }
    public long LastMessageAt { get; init; }
    public long TestClient { get; init; }
}
