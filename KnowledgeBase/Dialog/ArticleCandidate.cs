namespace BotEngine.KnowledgeBase;

public sealed record ArticleCandidate(string ArticleId, double Confidence);
