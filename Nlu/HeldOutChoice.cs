namespace BotEngine.Nlu;

/// <summary>
/// Chooses among settings by held-out accuracy with the one-standard-error rule (Breiman et al., CART 1984): the
/// cheapest setting whose accuracy is within one standard error of the best. A held-out accuracy of p over n
/// predictions is uncertain by sqrt(p(1-p)/n), so a costlier setting that wins by less is a coin toss, not a gain: on
/// snips a sentence encoder "won" 2-fold cross-validation by 0.01 points (98.85 against 98.84, one standard error 0.09)
/// and lost 0.3 points on the test file. Settings of equal cost (the encoder at one weight or another) have nothing to
/// prefer between them, so among those the higher accuracy wins.
/// </summary>
public static class HeldOutChoice
{
    /// <summary>
    /// The index of the setting to keep, given each one's held-out accuracy, the number of held-out predictions it was
    /// measured on, and its cost rank (what it computes per message: <see cref="CostOf"/>).
    /// </summary>
    public static int Pick(IReadOnlyList<(double Accuracy, int Count, int Cost)> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            throw new ArgumentException("no scores to choose from", nameof(scores));
        }

        int best = 0;
        for (int i = 1; i < scores.Count; i++)
        {
            if (scores[i].Accuracy > scores[best].Accuracy)
            {
                best = i;
            }
        }

        var (p, n, _) = scores[best];
        double floor = p - (n > 0 ? Math.Sqrt(p * (1 - p) / n) : 0);
        int chosen = best;
        for (int i = 0; i < scores.Count; i++)
        {
            var (accuracy, _, cost) = scores[i];
            if (accuracy >= floor && (cost < scores[chosen].Cost || (cost == scores[chosen].Cost && accuracy > scores[chosen].Accuracy)))
            {
                chosen = i;
            }
        }

        return chosen;
    }

    /// <summary>What a setting computes per message, as a rank: n-grams 0, with word vectors 1, with a sentence encoder 2 (3 with both).</summary>
    public static int CostOf(NluOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (options.Encoder is null ? 0 : 2) + (options.WordVectors is null ? 0 : 1);
    }

    /// <summary>A model's held-out accuracy and prediction count, when it was trained with held-out folds.</summary>
    public static bool TryScore(IntentModel model, out (double Accuracy, int Count) score)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metrics = model.Metadata.Metrics;
        if (metrics.TryGetValue("cv_accuracy", out double accuracy))
        {
            score = (accuracy, metrics.TryGetValue("cv_count", out double count) ? (int)count : 0);
            return true;
        }

        score = default;
        return false;
    }
}
