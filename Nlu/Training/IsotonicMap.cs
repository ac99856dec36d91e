namespace BotEngine.Nlu.Training;

/// <summary>
/// Monotone map of top-1 confidence to observed accuracy, fitted by pool-adjacent-violators on held-out
/// predictions and applied with linear interpolation between block centres. Fixes miscalibration a single
/// temperature cannot (e.g. label noise that makes mid-range confidences too high but the top end right).
/// </summary>
public sealed record IsotonicMap(double[] X, double[] Y)
{
    /// <param name="weights">How many items each one stands for (null: one); blocks still need
    /// <paramref name="minBlock"/> actual items.</param>
    public static IsotonicMap? Fit(double[] confidence, bool[] correct, int minBlock = 20, float[]? weights = null)
    {
        int n = confidence.Length;
        if (n < 500)
        {
            return null;
        }

        var order = Enumerable.Range(0, n).OrderBy(i => confidence[i]).ToArray();
        var sumX = new List<double>();
        var sumY = new List<double>();
        var sumW = new List<double>();
        var cnt = new List<int>();
        foreach (int i in order)
        {
            double w = weights?[i] ?? 1.0;
            sumX.Add(w * confidence[i]);
            sumY.Add(correct[i] ? w : 0);
            sumW.Add(w);
            cnt.Add(1);
            // merge while the last block violates monotonicity or is too small to be trusted
            while (sumX.Count > 1 && (sumY[^1] / sumW[^1] <= sumY[^2] / sumW[^2] || cnt[^2] < minBlock))
            {
                MergeLast();
            }
        }

        // the loop leaves the last block as small as one item: fold it in until it is large enough to trust too
        // (and the blocks are still increasing)
        while (sumX.Count > 1 && (cnt[^1] < minBlock || sumY[^1] / sumW[^1] <= sumY[^2] / sumW[^2]))
        {
            MergeLast();
        }

        var x = sumX.Select((s, i) => s / sumW[i]).ToArray();
        var y = sumY.Select((s, i) => s / sumW[i]).ToArray();
        return new IsotonicMap(x, y);

        void MergeLast()
        {
            sumX[^2] += sumX[^1];
            sumY[^2] += sumY[^1];
            sumW[^2] += sumW[^1];
            cnt[^2] += cnt[^1];
            sumX.RemoveAt(sumX.Count - 1);
            sumY.RemoveAt(sumY.Count - 1);
            sumW.RemoveAt(sumW.Count - 1);
            cnt.RemoveAt(cnt.Count - 1);
        }
    }

    public double Apply(double p)
    {
        if (X.Length == 0)
        {
            return p;
        }

        if (p <= X[0])
        {
            return X[0] <= 0 ? Y[0] : Y[0] * p / X[0];
        }

        if (p >= X[^1])
        {
            return Y[^1] + (1 - Y[^1]) * (X[^1] >= 1 ? 0 : (p - X[^1]) / (1 - X[^1]));
        }

        int i = Array.BinarySearch(X, p);
        if (i >= 0)
        {
            return Y[i];
        }

        i = ~i;
        double f = (p - X[i - 1]) / (X[i] - X[i - 1]);
        return Y[i - 1] + f * (Y[i] - Y[i - 1]);
    }

    /// <summary>Maps the top probability and rescales the rest so the vector still sums to one.</summary>
    public void Apply(Span<float> probs)
    {
        int arg = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probs);
        double p = probs[arg];
        double q = Math.Clamp(Apply(p), 1e-4, 1 - 1e-6);
        double rest = 1 - p;
        float scale = rest > 1e-9 ? (float)((1 - q) / rest) : 0f;
        for (int c = 0; c < probs.Length; c++)
        {
            probs[c] = c == arg ? (float)q : probs[c] * scale;
        }
    }
}
