namespace BotEngine.KnowledgeBase;

public sealed record KbSearchHit(string ArticleId, string Title, string? RecordType, double Score, string Snippet);
