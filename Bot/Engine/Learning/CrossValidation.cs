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
        var candidateTally = new Tally();
        var currentTally = new Tally();
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
                candidateTally.Add(example, Answer(a, example.Text, minConfidence));
                currentTally.Add(example, Answer(b, example.Text, minConfidence));
            }
        }
        return (candidateTally.Scores(), currentTally.Scores());
    }

    /// <summary>The article the bot would answer with, or <see cref="TrainingSet.OutOfScope"/>.</summary>
    private static string Answer(IIntentClassifier classifier, string text, double minConfidence)
    {
        var prediction = classifier.Predict(text, 1);
        return prediction.IsOutOfScope || prediction.Best is not { } best || best.Confidence < minConfidence ? TrainingSet.OutOfScope : best.Intent;
    }

    private static bool TwoIntents(List<TrainingExample> examples) =>
        examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Take(2).Count() == 2;

    private static int FoldOf(string text, int folds)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var ch in ClassifierArticleMatcher.Normalize(text))
            hash = (hash ^ ch) * 16777619u;
        return (int)(hash % (uint)folds);
    }

    private sealed class Tally
    {
        private int _inScope, _inScopeRight, _kb, _kbRight, _labels, _labelsRight, _oos, _oosRight;
        // Per intent: true positives, false positives, false negatives.
        private readonly Dictionary<string, (int Tp, int Fp, int Fn)> _intents = new(StringComparer.Ordinal);

        public void Add(TrainingExample example, string answer)
        {
            var right = answer == example.Intent;
            if (right)
            {
                Count(example.Intent, tp: 1);
            }
            else
            {
                Count(example.Intent, fn: 1);
                Count(answer, fp: 1);
            }
            if (example.Intent == TrainingSet.OutOfScope)
            {
                _oos++;
                _oosRight += right ? 1 : 0;
                return;
            }
            _inScope++;
            _inScopeRight += right ? 1 : 0;
            if (example.Source == ExampleSource.KbPhrasing)
            {
                _kb++;
                _kbRight += right ? 1 : 0;
            }
            else
            {
                _labels++;
                _labelsRight += right ? 1 : 0;
            }
        }

        private void Count(string intent, int tp = 0, int fp = 0, int fn = 0)
        {
            var (t, p, n) = _intents.GetValueOrDefault(intent);
            _intents[intent] = (t + tp, p + fp, n + fn);
        }

        public CvScores Scores() => new(Share(_inScopeRight, _inScope), Share(_kbRight, _kb), Share(_labelsRight, _labels), Share(_oosRight, _oos), _inScope + _oos)
        {
            Intents = _intents.Where(i => i.Value.Tp + i.Value.Fn > 0).ToDictionary(
                i => i.Key, i => new IntentF1(i.Value.Tp + i.Value.Fn, 2.0 * i.Value.Tp / (2 * i.Value.Tp + i.Value.Fp + i.Value.Fn)), StringComparer.Ordinal),
        };

        private static double? Share(int right, int all) => all == 0 ? null : (double)right / all;
    }
}
