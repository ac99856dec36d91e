namespace BotEngine.Bot.Api;

/// <summary>An article the classifier suggests for the client's last message, with its confidence (0-1) and first answer.</summary>
public sealed record SuggestionDto(string ArticleId, string Title, double Confidence, string Preview);
