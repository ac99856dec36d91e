namespace BotEngine.Bot.Api;

/// <summary>An entry of an article's history: the KB revision that stored it, who, when, and whether it deleted the article.</summary>
public sealed record KbArticleVersionDto(long Revision, string? Author, DateTimeOffset ChangedAt, bool Deleted);
