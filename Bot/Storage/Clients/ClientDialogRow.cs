namespace BotEngine.Storage.Clients;

/// <summary>A dialog in a client's history: enough for the client card's list.</summary>
public sealed record ClientDialogRow
{
    public string Id { get; init; } = "";
    public string Channel { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string State { get; init; } = "";
    public string? OperatorId { get; init; }
    public long OpenedAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? CloseTopic { get; init; }
    public long? Rating { get; init; }
    public string? RatingComment { get; init; }
}
