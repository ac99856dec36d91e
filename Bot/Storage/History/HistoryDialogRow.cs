namespace BotEngine.Storage.History;

/// <summary>A dialog as history search lists it; <see cref="Snippet"/> is its first message matching the text, if searched.</summary>
public sealed record HistoryDialogRow
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string? ClientName { get; init; }
    public string Channel { get; init; } = "";
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public string Language { get; init; } = "";
    public string State { get; init; } = "";
    public string? OperatorId { get; init; }
    public string? OperatorName { get; init; }
    public long OpenedAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseTopic { get; init; }
    public int? ClientDissatisfied { get; init; }
    public long Messages { get; init; }
    public string? Snippet { get; init; }
    /// <summary>1 when the client is marked as a test client.</summary>
    public long TestClient { get; init; }
}
