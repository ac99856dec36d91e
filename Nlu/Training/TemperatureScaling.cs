namespace BotEngine.Nlu.Training;

/// <summary>Fits one temperature T so that softmax(scores / T) minimises the log loss on held-out scores.</summary>
public static class TemperatureScaling
{
    public static double Fit(float[] scores, int[] labels, int classes, float[]? weights = null)
    {
        // golden-section search on log T; the NLL is unimodal in T for a fixed set of scores
        double lo = Math.Log(1e-3), hi = Math.Log(1e2);
        const double Phi = 0.6180339887498949;
        double a = hi - Phi * (hi - lo), b = lo + Phi * (hi - lo);
        double fa = Nll(scores, labels, classes, Math.Exp(a), weights), fb = Nll(scores, labels, classes, Math.Exp(b), weights);
        for (int it = 0; it < 60; it++)
        {
            if (fa < fb)
            {
                hi = b; b = a; fb = fa;
                a = hi - Phi * (hi - lo);
                fa = Nll(scores, labels, classes, Math.Exp(a), weights);
            }
            else
            {
                lo = a; a = b; fa = fb;
                b = lo + Phi * (hi - lo);
                fb = Nll(scores, labels, classes, Math.Exp(b), weights);
            }
        }

        return Math.Exp((lo + hi) / 2);
    }

    public static double Nll(float[] scores, int[] labels, int classes, double t, float[]? weights = null)
    {
        double total = 0, wsum = 0;
        int n = labels.Length;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0)
            {
                continue;
            }

            var row = scores.AsSpan(i * classes, classes);
            double max = double.NegativeInfinity;
            foreach (var s in row)
            {
                max = Math.Max(max, s);
            }

            double z = 0;
            foreach (var s in row)
            {
                z += Math.Exp((s - max) / t);
            }

            double w = weights?[i] ?? 1.0;
            total += w * (Math.Log(z) - (row[labels[i]] - max) / t);
            wsum += w;
        }

        return wsum > 0 ? total / wsum : 0;
    }

    /// <summary>In-place softmax of scores / t.</summary>
    public static void Softmax(Span<float> scores, double t)
    {
        float max = float.NegativeInfinity;
        foreach (var s in scores)
        {
            max = MathF.Max(max, s);
        }

        double z = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double e = Math.Exp((scores[i] - max) / t);
            scores[i] = (float)e;
            z += e;
        }

        float inv = (float)(1 / z);
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] *= inv;
        }
    }
}
