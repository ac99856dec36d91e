namespace BotEngine.Storage.Knowledge;

/// <summary>One stored version of an article: the KB revision that wrote it, who, when (microseconds), and whether it deleted the article.</summary>
public sealed record KbArticleVersion(long Revision, string? Author, long ChangedAt, bool Deleted);
