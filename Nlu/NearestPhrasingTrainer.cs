using System.Diagnostics;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Text;

namespace BotEngine.Nlu;

/// <summary>
/// Trains <see cref="NearestPhrasingModel"/>: the n-gram features of <see cref="IntentTrainer"/>, an inverted index of
/// the phrasings, and a softmax temperature fitted by leave-one-out log loss on a sample of the phrasings. It costs
/// seconds and memory in proportion to the phrasings, however many intents they name, on one core.
/// </summary>
public sealed class NearestPhrasingTrainer(NluOptions? options = null) : IIntentTrainer
{
    /// <summary>Phrasings the temperature is fitted on (evenly spaced): more only cost time.</summary>
    private const int FitSample = 2000;

    public NluOptions Options { get; } = options ?? new NluOptions();

    IIntentClassifier IIntentTrainer.Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
        => Train(examples, cancellationToken);

    public NearestPhrasingModel Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        // the softmax weighs no example over another, so weights only decide whether an example is used
        var (usable, labels, y) = UsableExamples.From(examples);
        var sw = Stopwatch.StartNew();
        var o = Options;
        var tokens = new IReadOnlyList<string>[usable.Count];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = TextNormalizer.Tokenize(usable[i].Text);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var features = o.Features.MinDf > 0 ? o.Features : o.Features with { MinDf = usable.Count >= 8000 ? 2 : 1 };
        if (o.CyrillicWordWeight is float cw && IntentTrainer.MostlyCyrillic(usable))
        {
            features = features with { WordWeight = cw };
        }

        var vec = TfidfVectorizer.Fit(tokens, features);
        var rows = new SparseVector[tokens.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = vec.Transform(tokens[i]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var model = new NearestPhrasingModel(labels, vec, rows, y, o.OosLabel);
        double temperature = FitTemperature(model, rows, y, labels.Length, cancellationToken);
        o.Log?.Invoke($"nearest phrasing: {labels.Length} intents, {usable.Count} examples, {vec.Dimension} features, T={temperature:F4}, {sw.Elapsed.TotalSeconds:F2}s");
        return model.Calibrated(temperature, o.OosThreshold ?? 0);
    }

    /// <summary>
    /// The temperature of least leave-one-out log loss: each sampled phrasing scored by the others, over the phrasings
    /// whose intent has another one (a lone phrasing left out leaves its intent nothing to be found by).
    /// </summary>
    private static double FitTemperature(NearestPhrasingModel index, SparseVector[] rows, int[] y, int labels, CancellationToken ct)
    {
        var count = new int[labels];
        foreach (int l in y)
        {
            count[l]++;
        }

        var candidates = Enumerable.Range(0, rows.Length).Where(i => count[y[i]] > 1).ToArray();
        if (candidates.Length == 0)
        {
            return 1;
        }

        int step = Math.Max(1, candidates.Length / FitSample);
        var samples = new List<(float Right, float[] Others, int Untouched)>();
        var scores = new List<(int Label, float Similarity)>();
        for (int j = 0; j < candidates.Length; j += step)
        {
            ct.ThrowIfCancellationRequested();
            int i = candidates[j];
            index.NearestPerLabel(rows[i], i, scores);
            float right = 0;
            var others = new float[scores.Count];
            for (int s = 0; s < scores.Count; s++)
            {
                others[s] = scores[s].Similarity;
                right = scores[s].Label == y[i] ? scores[s].Similarity : right;
            }

            samples.Add((right, others, labels - scores.Count));
        }

        // the log loss is convex in 1/T: golden-section search on it
        double lo = 1, hi = 500;
        const double Ratio = 0.6180339887498949;
        double a = hi - Ratio * (hi - lo), b = lo + Ratio * (hi - lo);
        double fa = LogLoss(samples, a), fb = LogLoss(samples, b);
        for (int it = 0; it < 60 && hi - lo > 1e-3; it++)
        {
            if (fa <= fb)
            {
                (hi, b, fb) = (b, a, fa);
                a = hi - Ratio * (hi - lo);
                fa = LogLoss(samples, a);
            }
            else
            {
                (lo, a, fa) = (a, b, fb);
                b = lo + Ratio * (hi - lo);
                fb = LogLoss(samples, b);
            }
        }

        return 1 / ((lo + hi) / 2);
    }

    private static double LogLoss(List<(float Right, float[] Others, int Untouched)> samples, double beta)
    {
        double loss = 0;
        foreach (var (right, others, untouched) in samples)
        {
            float max = 0;
            foreach (float s in others)
            {
                max = Math.Max(max, s);
            }

            double z = untouched * Math.Exp(-max * beta);
            foreach (float s in others)
            {
                z += Math.Exp((s - max) * beta);
            }

            loss += Math.Log(z) - (right - max) * beta;
        }

        return loss / samples.Count;
    }
}
