using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Nlu.Evaluation;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Text;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu;

/// <summary>
/// Trains <see cref="IntentModel"/>: TF-IDF word and character n-grams, a one-vs-rest linear SVM, and a softmax
/// temperature plus out-of-scope threshold fitted on stratified held-out folds.
/// </summary>
public sealed class IntentTrainer : IIntentTrainer
{
    public IntentTrainer(NluOptions? options = null) => Options = options ?? new NluOptions();

    public NluOptions Options { get; }

    IIntentClassifier IIntentTrainer.Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
        => Train(examples, cancellationToken);

    public IntentModel Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var usable = examples.Where(e => !string.IsNullOrWhiteSpace(e.Text) && !string.IsNullOrWhiteSpace(e.Intent) && e.Weight > 0).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("no usable training examples", nameof(examples));
        }

        var sw = Stopwatch.StartNew();
        var o = Options;
        var labels = usable.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var y = usable.Select(e => labelIndex[e.Intent]).ToArray();
        var tokens = usable.Select(e => (IReadOnlyList<string>)TextNormalizer.Tokenize(e.Text)).ToArray();
        var cost = ExampleCosts(usable, y, labels.Length);
        int oosIndex = Array.IndexOf(labels, o.OosLabel);

        double temperature = 1.0;
        double threshold = o.OosThreshold ?? 0.0;
        var metrics = new Dictionary<string, double>();
        int folds = Math.Min(o.CalibrationFolds, MinClassCount(y, labels.Length, oosIndex));
        if (labels.Length > 1 && folds >= 2)
        {
            var oof = new float[usable.Count * labels.Length];
            var fold = StratifiedFolds(y, labels.Length, folds, o.Seed);
            for (int f = 0; f < folds; f++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var trainIdx = Enumerable.Range(0, y.Length).Where(i => fold[i] != f).ToArray();
                var testIdx = Enumerable.Range(0, y.Length).Where(i => fold[i] == f).ToArray();
                var (vec, w, b) = Fit(trainIdx.Select(i => tokens[i]).ToArray(), trainIdx.Select(i => y[i]).ToArray(),
                    trainIdx.Select(i => cost[i]).ToArray(), labels.Length, cancellationToken);
                var probe = new IntentModel(labels, vec, w, b, 1.0, 0, o.OosLabel, new ModelMetadata());
                foreach (int i in testIdx)
                {
                    probe.RawScores(vec.Transform(tokens[i])).CopyTo(oof, i * labels.Length);
                }

                o.Log?.Invoke($"calibration fold {f + 1}/{folds} done in {sw.Elapsed.TotalSeconds:F1}s");
            }

            temperature = TemperatureScaling.Fit(oof, y, labels.Length);
            var probs = (float[])oof.Clone();
            for (int i = 0; i < y.Length; i++)
            {
                TemperatureScaling.Softmax(probs.AsSpan(i * labels.Length, labels.Length), temperature);
            }

            if (o.OosThreshold is null)
            {
                threshold = PickThreshold(probs, y, labels.Length, oosIndex, o.OosRejectRate);
            }

            var cv = Metrics.FromProbabilities(probs, y, labels.Length, oosIndex, threshold);
            metrics["cv_accuracy"] = cv.Accuracy;
            metrics["cv_ece"] = cv.Ece;
            metrics["temperature"] = temperature;
            metrics["oos_threshold"] = threshold;
            o.Log?.Invoke($"calibration: T={temperature:F4} threshold={threshold:F3} cv_accuracy={cv.Accuracy:F4} cv_ece={cv.Ece:F4}");
        }

        var (vecAll, wAll, bAll) = Fit(tokens, y, cost, labels.Length, cancellationToken);
        sw.Stop();
        o.Log?.Invoke($"trained {labels.Length} intents on {usable.Count} examples, {vecAll.Dimension} features, {sw.Elapsed.TotalSeconds:F2}s");
        var meta = new ModelMetadata
        {
            TrainingSetHash = HashExamples(usable),
            TrainingExamples = usable.Count,
            CreatedAt = DateTimeOffset.UtcNow,
            Algorithm = "tfidf-ngrams+ovr-linear-svm+temperature",
            TrainSeconds = sw.Elapsed.TotalSeconds,
            Metrics = metrics,
        };
        return new IntentModel(labels, vecAll, wAll, bAll, temperature, threshold, o.OosLabel, meta);
    }

    private (TfidfVectorizer Vec, float[] W, float[] B) Fit(
        IReadOnlyList<string>[] tokens, int[] y, float[] cost, int classes, CancellationToken ct)
    {
        var vec = TfidfVectorizer.Fit(tokens, Options.Features);
        var rows = new SparseVector[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            rows[i] = vec.Transform(tokens[i]);
        }

        var x = new SparseMatrix(rows, vec.Dimension);
        var (w, b) = OneVsRestSvm.Train(x, y, classes, cost, Options.Svm with { Seed = Options.Seed }, ct);
        return (vec, w, b);
    }

    private float[] ExampleCosts(List<TrainingExample> ex, int[] y, int classes)
    {
        var cost = new float[ex.Count];
        for (int i = 0; i < ex.Count; i++)
        {
            cost[i] = ex[i].Weight * Options.SourceWeights.GetValueOrDefault(ex[i].Source, 1f);
        }

        if (Options.BalanceClasses)
        {
            var total = new double[classes];
            for (int i = 0; i < y.Length; i++)
            {
                total[y[i]] += cost[i];
            }

            double mean = total.Sum() / classes;
            for (int i = 0; i < y.Length; i++)
            {
                cost[i] = (float)(cost[i] * mean / total[y[i]]);
            }
        }

        return cost;
    }

    private static int MinClassCount(int[] y, int classes, int skip)
    {
        var counts = new int[classes];
        foreach (var l in y)
        {
            counts[l]++;
        }

        return counts.Where((c, i) => i != skip).DefaultIfEmpty(0).Min();
    }

    /// <summary>Round-robin assignment within each class after a seeded shuffle: every fold sees every intent.</summary>
    internal static int[] StratifiedFolds(int[] y, int classes, int folds, int seed)
    {
        var rng = new Random(seed);
        var fold = new int[y.Length];
        var order = Enumerable.Range(0, y.Length).ToArray();
        rng.Shuffle(order);
        var next = new int[classes];
        foreach (int i in order)
        {
            fold[i] = next[y[i]]++ % folds;
        }

        return fold;
    }

    /// <summary>
    /// The highest threshold that rejects at most <paramref name="rejectRate"/> of held-out in-scope examples.
    /// </summary>
    internal static double PickThreshold(float[] probs, int[] y, int classes, int oosIndex, double rejectRate)
    {
        var top = new List<float>();
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] == oosIndex)
            {
                continue;
            }

            float best = 0;
            for (int c = 0; c < classes; c++)
            {
                if (c != oosIndex)
                {
                    best = Math.Max(best, probs[i * classes + c]);
                }
            }

            top.Add(best);
        }

        if (top.Count == 0 || rejectRate <= 0)
        {
            return 0;
        }

        top.Sort();
        int k = (int)Math.Floor(rejectRate * top.Count);
        return k <= 0 ? 0 : top[k - 1];
    }

    public static string HashExamples(IEnumerable<TrainingExample> examples)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in examples)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{e.Text}\t{e.Intent}\t{e.Source}\t{e.Weight:R}\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
