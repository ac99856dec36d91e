using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu;
using BotEngine.Storage.Learning;

namespace BotEngine.Engine.Learning;

/// <summary>
/// The frozen evaluation set: a stratified share of manual labels that no model trains on and on which the gate scores
/// the candidate and the live model. Each label is decided once (stored, never changed), so the set only grows: per
/// intent (an article, or "not an intent"), the distinct label texts in the order they arrived are held out whenever
/// the held-out ones fall below <see cref="LearningOptions.EvaluationShare"/> of them, so the 5th, 10th, 15th... text
/// of an intent is held out at a share of 0.2. Texts are compared normalised and a text is on one side only (a text
/// labelled again follows its first decision), so a held-out text never leaks into training.
/// </summary>
public static class EvaluationSet
{
    /// <summary>The decisions for manual labels not decided yet (an empty list when there are none).</summary>
    public static IReadOnlyList<(string Id, bool HeldOut)> Decide(IReadOnlyList<TrainingExampleRow> stored, double share)
    {
        var labels = stored.Where(r => r.Source == TrainingSources.ManualLabel).ToList();
        if (!labels.Exists(r => r.HeldOut is null))
            return [];
        // What each text already is, and per intent how many distinct texts it has and how many are held out.
        var texts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var row in labels.Where(r => r.HeldOut is not null))
            texts.TryAdd(ClassifierArticleMatcher.Normalize(row.Text), row.HeldOut == 1);
        var counts = new Dictionary<string, (int Texts, int Held)>(StringComparer.Ordinal);
        foreach (var group in labels.Where(r => r.HeldOut is not null).GroupBy(IntentOf, StringComparer.Ordinal))
        {
            var distinct = group.Select(r => ClassifierArticleMatcher.Normalize(r.Text)).Distinct(StringComparer.Ordinal).ToList();
            counts[group.Key] = (distinct.Count, distinct.Count(t => texts[t]));
        }
        var decisions = new List<(string, bool)>();
        foreach (var row in labels.Where(r => r.HeldOut is null).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var text = ClassifierArticleMatcher.Normalize(row.Text);
            if (!texts.TryGetValue(text, out var held))
            {
                var (count, heldCount) = counts.GetValueOrDefault(IntentOf(row));
                count++;
                held = heldCount < Math.Floor(count * share + 1e-9);
                counts[IntentOf(row)] = (count, heldCount + (held ? 1 : 0));
                texts[text] = held;
            }
            decisions.Add((row.Id, held));
        }
        return decisions;
    }

    /// <summary>The held-out labels whose article still exists, as examples to score.</summary>
    public static IReadOnlyList<TrainingExample> Examples(KbDocument document, IEnumerable<TrainingExampleRow> stored)
    {
        var articles = document.Articles.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        return stored.Where(r => r.HeldOut == 1 && (r.ArticleId is null || articles.Contains(r.ArticleId)))
            .Select(r => new TrainingExample(r.Text, IntentOf(r), ExampleSource.ManualLabel))
            .ToList();
    }

    /// <summary>Both models' answers to the evaluation set, scored the same way as cross-validation.</summary>
    public static (CvScores Candidate, CvScores Current) Score(IIntentClassifier candidate, IIntentClassifier current,
        IReadOnlyList<TrainingExample> heldOut, double minConfidence, CancellationToken cancellationToken)
    {
        var candidateTally = new ScoreTally();
        var currentTally = new ScoreTally();
        foreach (var example in heldOut)
        {
            cancellationToken.ThrowIfCancellationRequested();
            candidateTally.Add(example, ScoreTally.Answer(candidate, example.Text, minConfidence));
            currentTally.Add(example, ScoreTally.Answer(current, example.Text, minConfidence));
        }
        return (candidateTally.Scores(), currentTally.Scores());
    }

    private static string IntentOf(TrainingExampleRow row) => row.ArticleId ?? TrainingSet.OutOfScope;
}
