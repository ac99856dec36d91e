namespace BotEngine.Bot.Api;

public sealed record TrainingExampleDto(string Id, string Text, string Language, string? ArticleId, bool OutOfScope, string Source, double Weight,
    string? CreatedBy, DateTimeOffset CreatedAt, string? MessageId);
