using BotEngine.Engine.Learning;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// Adapts the intent classifier to the runner: an intent is an article id. An exact KB phrasing or labelled text wins
/// (a text labelled "not an intent" matches nothing).
/// </summary>
public sealed class ClassifierArticleMatcher(IIntentClassifier classifier, IReadOnlyDictionary<string, string>? exact = null) : IArticleMatcher
{
    public IReadOnlyList<ArticleCandidate> Match(string text, string language)
    {
        if (ExactArticle(text) is { } article)
            return article == TrainingSet.OutOfScope ? [] : [new ArticleCandidate(article, 1)];
        var prediction = classifier.Predict(text, 3);
        return prediction.IsOutOfScope
            ? []
            : prediction.Top.Select(s => new ArticleCandidate(s.Intent, s.Confidence)).ToList();
    }

    /// <summary>
    /// Up to <paramref name="count"/> articles for an operator to choose from, best first: the exact phrasing's or
    /// label's article first (confidence 1) and the classifier's others after it; nothing for a text labelled
    /// "not an intent", as the bot would answer nothing.
    /// </summary>
    public IReadOnlyList<ArticleCandidate> Suggest(string text, int count)
    {
        var exactArticle = ExactArticle(text);
        if (exactArticle == TrainingSet.OutOfScope)
            return [];
        var prediction = classifier.Predict(text, count);
        // The classifier's guesses are offered even when it calls the text out of scope: the operator judges.
        var guessed = prediction.Top.Where(s => s.Intent != exactArticle).Select(s => new ArticleCandidate(s.Intent, s.Confidence));
        return exactArticle is null
            ? guessed.Take(count).ToList()
            : guessed.Prepend(new ArticleCandidate(exactArticle, 1)).Take(count).ToList();
    }

    /// <summary>The article one of whose phrasings the text is (after normalising), if any.</summary>
    public string? ExactArticle(string text) =>
        exact is { Count: > 0 } && exact.TryGetValue(Normalize(text), out var article) ? article : null;

    public static string Normalize(string text) => string.Join(' ', TextAnalyzer.Words(text));
}
