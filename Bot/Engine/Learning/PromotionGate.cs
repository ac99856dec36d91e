using System.Globalization;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Decides whether a candidate replaces the live model: only if, on the same cross-validation folds, its in-scope
/// accuracy over all held-out examples and over KB phrasings alone does not fall by more than
/// <see cref="LearningOptions.MaxAccuracyDrop"/>, and its out-of-scope recall by more than
/// <see cref="LearningOptions.MaxOosRecallDrop"/>. KB phrasings are the editors' own ground truth: labels that
/// contradict them (mislabelled or scrambled) cost accuracy there.
/// </summary>
public static class PromotionGate
{
    public static (bool Promote, string Reason) Decide(CvScores candidate, CvScores current, LearningOptions options)
    {
        var failures = new List<string>();
        Check("in-scope accuracy", candidate.InScopeAccuracy, current.InScopeAccuracy, options.MaxAccuracyDrop, failures);
        Check("accuracy on KB phrasings", candidate.KbAccuracy, current.KbAccuracy, options.MaxAccuracyDrop, failures);
        Check("out-of-scope recall", candidate.OosRecall, current.OosRecall, options.MaxOosRecallDrop, failures);
        if (failures.Count > 0)
            return (false, "rejected: " + string.Join("; ", failures));
        return (true, string.Create(CultureInfo.InvariantCulture,
            $"promoted: in-scope accuracy {Percent(candidate.InScopeAccuracy)} (live {Percent(current.InScopeAccuracy)}), KB phrasings {Percent(candidate.KbAccuracy)} (live {Percent(current.KbAccuracy)})"));
    }

    private static void Check(string what, double? candidate, double? current, double margin, List<string> failures)
    {
        if (candidate is { } c && current is { } l && c < l - margin)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {Percent(c)} is below the live model's {Percent(l)} by more than {margin * 100:0.##} points"));
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.0} %") : "n/a";
}
