namespace BotEngine.Bot.Api;

/// <summary>A dialog of the export with its messages in order; <c>testClient</c> marks a client excluded from statistics.</summary>
public sealed record ExportDialogDto(string Id, string ClientId, string Channel, string State, string Language, string? OperatorId,
    string? CallCentre, string? Line, DateTimeOffset OpenedAt, DateTimeOffset? QueuedAt, DateTimeOffset? AssignedAt, DateTimeOffset? ClosedAt,
    string? ClosedBy, string? Topic, long? Rating, string? RatingComment, DateTimeOffset LastMessageAt, bool TestClient,
    IReadOnlyList<ExportMessageDto> Messages);
