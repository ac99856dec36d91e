using BotEngine.Nlu;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Counts a model's answers to held-out examples (as the bot answers: below the threshold is "not an intent") into
/// <see cref="CvScores"/>: accuracies, out-of-scope recall, per-intent F1 and the most frequent confusions.
/// </summary>
public sealed class ScoreTally
{
    private const int ConfusionsKept = 20, ExamplesPerConfusion = 3;

    private int _inScope, _inScopeRight, _kb, _kbRight, _labels, _labelsRight, _oos, _oosRight;
    // Per intent: true positives, false positives, false negatives.
    private readonly Dictionary<string, (int Tp, int Fp, int Fn)> _intents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Intent, string Answer), List<string>> _confusions = [];

    /// <summary>The article the bot would answer <paramref name="text"/> with, or <see cref="TrainingSet.OutOfScope"/>.</summary>
    public static string Answer(IIntentClassifier classifier, string text, double minConfidence)
    {
        var prediction = classifier.Predict(text, 1);
        return prediction.IsOutOfScope || prediction.Best is not { } best || best.Confidence < minConfidence ? TrainingSet.OutOfScope : best.Intent;
    }

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
            if (!_confusions.TryGetValue((example.Intent, answer), out var texts))
                _confusions[(example.Intent, answer)] = texts = [];
            texts.Add(example.Text);
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
        Confusions = _confusions
            .OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key.Intent, StringComparer.Ordinal).ThenBy(c => c.Key.Answer, StringComparer.Ordinal)
            .Take(ConfusionsKept)
            .Select(c => new Confusion(c.Key.Intent, c.Key.Answer, c.Value.Count, c.Value.Distinct(StringComparer.Ordinal).Take(ExamplesPerConfusion).ToList()))
            .ToList(),
    };

    private static double? Share(int right, int all) => all == 0 ? null : (double)right / all;
}
