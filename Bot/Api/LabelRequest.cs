namespace BotEngine.Bot.Api;

/// <summary>Labels inbox messages (one, or a whole group) with an article, or as "not an intent".</summary>
public sealed record LabelRequest(string[]? MessageIds, string? ArticleId, bool? OutOfScope);
