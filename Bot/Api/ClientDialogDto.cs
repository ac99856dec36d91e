namespace BotEngine.Bot.Api;

public sealed record ClientDialogDto(string Id, string Channel, string ConversationId, string State, string? OperatorId, DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt, string? CloseTopic, int? Rating, string? RatingComment);
