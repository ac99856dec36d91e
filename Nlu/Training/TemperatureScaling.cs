using System.Numerics.Tensors;

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
        // 30 steps narrow log T from 11.5 wide to under 1e-5, far below what moves a confidence
        for (int it = 0; it < 30; it++)
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

    /// <summary>
    /// Refines a log-loss temperature for the top-1 reliability the engine relies on: scans 0.5x..2x of
    /// <paramref name="t0"/> and keeps the temperature with the lowest held-out ECE (15 bins).
    /// </summary>
    public static double RefineForEce(float[] scores, int[] labels, int classes, double t0, float[]? weights = null)
    {
        double best = t0, bestEce = Ece(scores, labels, classes, t0, weights);
        for (int s = -12; s <= 12; s++)
        {
            double t = t0 * Math.Pow(2, s / 12.0);
            double e = Ece(scores, labels, classes, t, weights);
            // small preference for the log-loss optimum: only move for a clear gain
            if (e < bestEce - 0.002)
            {
                best = t;
                bestEce = e;
            }
        }

        return best;
    }

    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double Ece(float[] scores, int[] labels, int classes, double t, float[]? weights = null)
    {
        // the arg-max does not depend on t, and its probability is 1 / sum exp((s - max) / t): SIMD, no full softmax
        var buf = new float[classes];
        var conf = new double[labels.Length];
        var hit = new bool[labels.Length];
        float inv = (float)(1 / t);
        for (int i = 0; i < labels.Length; i++)
        {
            var row = scores.AsSpan(i * classes, classes);
            int arg = TensorPrimitives.IndexOfMax(row);
            TensorPrimitives.Subtract(row, row[arg], buf);
            TensorPrimitives.Multiply(buf, inv, buf);
            TensorPrimitives.Exp(buf, buf);
            conf[i] = 1.0 / TensorPrimitives.Sum(buf);
            hit[i] = arg == labels[i];
        }

        return Evaluation.Metrics.Ece(conf, hit, weights);
    }

    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double Nll(float[] scores, int[] labels, int classes, double t, float[]? weights = null)
    {
        double total = 0, wsum = 0;
        int n = labels.Length;
        var buf = new float[classes];
        float inv = (float)(1 / t);
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0)
            {
                continue;
            }

            // log-sum-exp in float SIMD: this runs ~30 times over every held-out row
            var row = scores.AsSpan(i * classes, classes);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, buf);
            TensorPrimitives.Multiply(buf, inv, buf);
            TensorPrimitives.Exp(buf, buf);
            double z = TensorPrimitives.Sum(buf);
            double w = weights?[i] ?? 1.0;
            total += w * (Math.Log(z) - (row[labels[i]] - max) * inv);
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
