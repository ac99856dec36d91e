using System.Globalization;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Decides whether a candidate replaces the live model: only if, on the same cross-validation folds, its in-scope
/// accuracy over all held-out examples and over KB phrasings alone does not fall by more than
/// <see cref="LearningOptions.MaxAccuracyDrop"/>, and its out-of-scope recall by more than
/// <see cref="LearningOptions.MaxOosRecallDrop"/>, and no intent with <see cref="LearningOptions.MinIntentSupport"/>
/// held-out examples loses more than <see cref="LearningOptions.MaxIntentF1Drop"/> of F1. KB phrasings are the editors'
/// own ground truth: labels that contradict them (mislabelled or scrambled) cost accuracy there. When the frozen
/// evaluation set holds examples (<see cref="EvaluationSet"/>), both models trained in full are scored on it too and
/// held to the same margins: in-scope accuracy, out-of-scope recall and per-intent F1.
/// </summary>
public static class PromotionGate
{
    public static (bool Promote, string Reason) Decide(CvScores candidate, CvScores current, LearningOptions options,
        CvScores? evaluated = null, CvScores? evaluatedLive = null)
    {
        var failures = new List<string>();
        Check("in-scope accuracy", candidate.InScopeAccuracy, current.InScopeAccuracy, options.MaxAccuracyDrop, failures);
        Check("accuracy on KB phrasings", candidate.KbAccuracy, current.KbAccuracy, options.MaxAccuracyDrop, failures);
        Check("out-of-scope recall", candidate.OosRecall, current.OosRecall, options.MaxOosRecallDrop, failures);
        CheckIntents("", candidate, current, options, failures);
        var frozen = evaluated is not null && evaluatedLive is not null && evaluated.Evaluated > 0;
        if (frozen)
        {
            Check("in-scope accuracy on the evaluation set", evaluated!.InScopeAccuracy, evaluatedLive!.InScopeAccuracy, options.MaxAccuracyDrop, failures);
            Check("out-of-scope recall on the evaluation set", evaluated.OosRecall, evaluatedLive.OosRecall, options.MaxOosRecallDrop, failures);
            CheckIntents(" on the evaluation set", evaluated, evaluatedLive, options, failures);
        }
        if (failures.Count > 0)
            return (false, "rejected: " + string.Join("; ", failures));
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"promoted: in-scope accuracy {Percent(candidate.InScopeAccuracy)} (live {Percent(current.InScopeAccuracy)}), KB phrasings {Percent(candidate.KbAccuracy)} (live {Percent(current.KbAccuracy)})");
        if (frozen)
        {
            reason += string.Create(CultureInfo.InvariantCulture,
                $", evaluation set of {evaluated!.Evaluated} {Percent(evaluated.InScopeAccuracy)} (live {Percent(evaluatedLive!.InScopeAccuracy)})");
        }
        return (true, reason);
    }

    private static void CheckIntents(string where, CvScores candidate, CvScores current, LearningOptions options, List<string> failures)
    {
        var worse = Deltas(candidate, current).Where(d => d.Support >= options.MinIntentSupport && d.Delta < -options.MaxIntentF1Drop).ToList();
        if (worse.Count > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"F1{where} falls by more than {options.MaxIntentF1Drop:0.##} on ")
                + string.Join(", ", worse.Take(5).Select(d => string.Create(CultureInfo.InvariantCulture, $"'{d.Intent}' ({d.Live:0.00} to {d.Candidate:0.00}, {d.Support} examples)")))
                + (worse.Count > 5 ? $" and {worse.Count - 5} more" : ""));
        }
    }

    /// <summary>Every intent held out for either model, the candidate's F1 against the live one's, worst change first.</summary>
    public static IReadOnlyList<IntentDelta> Deltas(CvScores candidate, CvScores current) =>
        candidate.Intents.Keys.Union(current.Intents.Keys, StringComparer.Ordinal)
            .Select(intent =>
            {
                var c = candidate.Intents.GetValueOrDefault(intent);
                var l = current.Intents.GetValueOrDefault(intent);
                var (cf, lf) = (c?.F1 ?? 0, l?.F1 ?? 0);
                return new IntentDelta(intent, Math.Max(c?.Support ?? 0, l?.Support ?? 0), Math.Round(cf, 4), Math.Round(lf, 4), Math.Round(cf - lf, 4));
            })
            .OrderBy(d => d.Delta).ThenBy(d => d.Intent, StringComparer.Ordinal)
            .ToList();

    private static void Check(string what, double? candidate, double? current, double margin, List<string> failures)
    {
        if (candidate is { } c && current is { } l && c < l - margin)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {Percent(c)} is below the live model's {Percent(l)} by more than {margin * 100:0.##} points"));
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.0} %") : "n/a";
}
