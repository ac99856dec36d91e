namespace BotEngine.KnowledgeBase;

/// <summary>A suggestion while typing: an article title (with its id) or a completed query.</summary>
public sealed record KbSuggestion(string Text, string? ArticleId);
