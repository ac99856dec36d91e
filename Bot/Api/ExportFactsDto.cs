namespace BotEngine.Bot.Api;

/// <summary>
/// A closed dialog's figures as statistics count them: who handled it (bot alone or operators), times to first
/// response and close, message counts by author, question-answer pairs and their average response time.
/// </summary>
public sealed record ExportFactsDto(string DialogId, string ClientId, string Channel, string? CallCentre, string? Line, string? OperatorId,
    DateTimeOffset OpenedAt, DateTimeOffset? QueuedAt, DateTimeOffset? FirstResponseAt, DateTimeOffset ClosedAt, string? ClosedBy, string? Topic,
    long? Rating, string HandledBy, long Assignments, double CloseSeconds, double? FirstResponseSeconds, long Messages, long ClientMessages,
    long BotMessages, long OperatorMessages, long QuestionAnswerPairs, double? AvgResponseSeconds);
