namespace BotEngine.KnowledgeBase;

/// <summary>Finds the articles that answer a text (the engine adapts the intent classifier to this).</summary>
public interface IArticleMatcher
{
    IReadOnlyList<ArticleCandidate> Match(string text, string language);
}
