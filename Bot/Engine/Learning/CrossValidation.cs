using BotEngine.Engine.Knowledge;
using BotEngine.Nlu;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Compares two training sets by k-fold cross-validation on the same folds: a fold is chosen by the hash of an
/// example's normalised text, so repeated texts stay in one fold and both sets leave out the same texts. Each fold's
/// held-out examples are the candidate's (the newest labels are the truth), predicted by a model of each set trained
/// without that fold.
/// </summary>
public static class CrossValidation
{
    public static (CvScores Candidate, CvScores Current) Compare(IIntentTrainer trainer, TrainingSet candidate, TrainingSet current, int folds,
        double minConfidence, CancellationToken cancellationToken)
    {
        var candidateTally = new ScoreTally();
        var currentTally = new ScoreTally();
        for (var fold = 0; fold < folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var heldOut = candidate.Examples.Where(e => FoldOf(e.Text, folds) == fold).ToList();
            var candidateTrain = candidate.Examples.Where(e => FoldOf(e.Text, folds) != fold).ToList();
            var currentTrain = current.Examples.Where(e => FoldOf(e.Text, folds) != fold).ToList();
            if (heldOut.Count == 0 || !TwoIntents(candidateTrain) || !TwoIntents(currentTrain))
                continue;
            var a = trainer.Train(candidateTrain, cancellationToken);
            var b = trainer.Train(currentTrain, cancellationToken);
            foreach (var example in heldOut)
            {
                candidateTally.Add(example, ScoreTally.Answer(a, example.Text, minConfidence));
                currentTally.Add(example, ScoreTally.Answer(b, example.Text, minConfidence));
            }
        }
        return (candidateTally.Scores(), currentTally.Scores());
    }

    private static bool TwoIntents(List<TrainingExample> examples) =>
        examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Take(2).Count() == 2;

    /// <summary>The fold of a text: the same for equal normalised texts, on every node and run.</summary>
    public static int FoldOf(string text, int folds)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var ch in ClassifierArticleMatcher.Normalize(text))
            hash = (hash ^ ch) * 16777619u;
        return (int)(hash % (uint)folds);
    }
}
