namespace BotEngine.Bot.Api;

/// <summary>A dialog in history search results; <see cref="Snippet"/> is its first message matching the searched text.</summary>
public sealed record HistoryDialogDto(
    string Id, string ClientId, string? ClientName, string Channel, string? CallCentre, string? Line, string Language, string State,
    string? OperatorId, string? OperatorName, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? ClosedBy, string? Topic,
    bool? ClientDissatisfied, long Messages, string? Snippet, bool TestClient);
