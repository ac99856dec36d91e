namespace BotEngine.Nlu.Evaluation;

/// <summary>Small metric helpers shared by training (held-out folds) and evaluation.</summary>
public static class Metrics
{
    public const int EceBins = 15;

    public readonly record struct Summary(double Accuracy, double Ece);

    /// <summary>Arg-max accuracy and ECE of row-major probabilities against integer labels.</summary>
    public static Summary FromProbabilities(float[] probs, int[] y, int classes, int oosIndex, double threshold)
    {
        var conf = new double[y.Length];
        var hit = new bool[y.Length];
        int ok = 0;
        for (int i = 0; i < y.Length; i++)
        {
            var row = probs.AsSpan(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            conf[i] = row[best];
            hit[i] = best == y[i];
            ok += hit[i] ? 1 : 0;
        }

        return new Summary(y.Length == 0 ? 0 : (double)ok / y.Length, Ece(conf, hit));
    }

    /// <summary>Expected calibration error with equal-width confidence bins.</summary>
    public static double Ece(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int bins = EceBins)
        => Ece(confidence, correct, null, bins);

    /// <summary>
    /// Expected calibration error where item i counts <c>weights[i]</c> times (null: once each): per bin, the gap
    /// between the weighted sums of correctness and confidence, over the total weight.
    /// </summary>
    public static double Ece(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, IReadOnlyList<float>? weights, int bins = EceBins)
    {
        var conf = new double[bins];
        var acc = new double[bins];
        double total = 0;
        for (int i = 0; i < confidence.Count; i++)
        {
            double w = weights?[i] ?? 1.0;
            int b = Math.Clamp((int)(confidence[i] * bins), 0, bins - 1);
            conf[b] += w * confidence[i];
            acc[b] += correct[i] ? w : 0;
            total += w;
        }

        double ece = 0;
        for (int b = 0; b < bins && total > 0; b++)
        {
            ece += Math.Abs(acc[b] - conf[b]) / total;
        }

        return ece;
    }

    /// <summary>Per bin: number of items, mean confidence, accuracy.</summary>
    public static (int[] Count, double[] MeanConfidence, double[] Accuracy) ReliabilityBins(
        IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int bins = EceBins)
    {
        var count = new int[bins];
        var conf = new double[bins];
        var acc = new double[bins];
        for (int i = 0; i < confidence.Count; i++)
        {
            int b = Math.Clamp((int)(confidence[i] * bins), 0, bins - 1);
            count[b]++;
            conf[b] += confidence[i];
            acc[b] += correct[i] ? 1 : 0;
        }

        for (int b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                conf[b] /= count[b];
                acc[b] /= count[b];
            }
        }

        return (count, conf, acc);
    }
}
