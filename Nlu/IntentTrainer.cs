using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Nlu.Encoders;
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
    public IntentTrainer(NluOptions? options = null)
    {
        var o = options ?? new NluOptions();
        Options = (o.WordVectors is not null || o.Encoder is not null) && o.VectorNetworkHidden is int hidden ? o with { Mlp = o.Mlp with { Hidden = hidden } } : o;
    }

    /// <summary>The options in effect (with word vectors, the network takes <see cref="NluOptions.VectorNetworkHidden"/>).</summary>
    public NluOptions Options { get; }

    IIntentClassifier IIntentTrainer.Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
        => Train(examples, cancellationToken);

    public IntentModel Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        var (usable, labels, y) = UsableExamples.From(examples);
        var sw = Stopwatch.StartNew();
        var o = Options;
        var tokens = usable.Select(e => (IReadOnlyList<string>)TextNormalizer.Tokenize(e.Text)).ToArray();
        var cost = ExampleCosts(usable, y, labels.Length);
        int oosIndex = Array.IndexOf(labels, o.OosLabel);
        for (int i = 0; i < y.Length && oosIndex >= 0; i++)
        {
            cost[i] *= y[i] == oosIndex ? o.OosWeight : 1f;
        }

        double temperature = 1.0;
        double threshold = o.OosThreshold ?? 0.0;
        var metrics = new Dictionary<string, double>();
        // n-grams seen once in a large set mostly add weight rows (model size) without helping held-out accuracy
        var features = o.Features.MinDf > 0 ? o.Features : o.Features with { MinDf = usable.Count >= 8000 ? 2 : 1 };
        if (o.CyrillicWordWeight is float cw && MostlyCyrillic(usable))
        {
            features = features with { WordWeight = cw };
        }

        // the encoder embeds the phrasings in a language it covers; the model takes it when they are a fair share
        // (a bilingual knowledge base), not for a few Latin-letter phrasings of a Russian one
        var covered = o.Encoder is null ? [] : usable.Select(e => o.Encoder.Covers([e.Text])).ToArray();
        int coveredCount = covered.Count(c => c);
        var encoder = o.Encoder is not null && IsFairShare(coveredCount, usable.Count) ? o.Encoder : null;
        var embeddings = new float[]?[usable.Count];
        if (encoder is not null)
        {
            var which = Enumerable.Range(0, usable.Count).Where(i => covered[i]).ToArray();
            var texts = which.Select(i => usable[i].Text).ToArray();
            var embedded = o.EmbeddingCache is { } cache && cache.EncoderName == encoder.Name
                ? cache.Embed(encoder, texts, cancellationToken)
                : encoder.EncodeBatch(texts, cancellationToken);
            for (int j = 0; j < which.Length; j++)
            {
                embeddings[which[j]] = embedded[j];
            }

            o.Log?.Invoke($"{encoder.Name} embeddings of {texts.Length} of {usable.Count} examples ({sw.Elapsed.TotalSeconds:F2}s)");
        }
        else if (o.Encoder is not null)
        {
            o.Log?.Invoke($"{o.Encoder.Name} left out: its vocabulary covers {coveredCount} of {usable.Count} examples");
        }

        var vec = TfidfVectorizer.Fit(tokens, features, o.WordVectors, encoder);
        var rows = new SparseVector[tokens.Length];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Svm.Threads, CancellationToken = cancellationToken },
            i => rows[i] = vec.Transform(tokens[i], embeddings[i]));
        o.Log?.Invoke($"features: {vec.Dimension} n-grams, {rows.Sum(r => r.Count)} non-zeros ({sw.Elapsed.TotalSeconds:F2}s)");
        int k = labels.Length;
        int folds = y.Length >= 2 * o.CalibrationFolds ? o.CalibrationFolds : 0;
        Members final;
        IsotonicMap? isotonic = null;
        if (k > 1 && folds >= 2)
        {
            // cross-fitting: each fold model scores the rows it did not see (for calibration), and the shipped
            // model is the average of the fold models, so no extra full-data training is needed
            var fold = StratifiedFolds(y, k, folds, o.Seed);
            var parts = Enumerable.Range(0, folds).Select(f => Enumerable.Range(0, y.Length).Where(i => fold[i] != f).ToArray()).ToList();
            bool full = o.Final == FinalModel.FullData;
            if (full)
            {
                parts.Add(Enumerable.Range(0, y.Length).ToArray());
            }

            var members = FitMembers([.. parts], rows, y, cost, k, vec.Dimension, sw, cancellationToken);
            var svmOof = new float[y.Length * k];
            var netOof = new float[y.Length * k];
            // every row writes only its own slice, so both cores can score held-out rows
            Parallel.For(0, y.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Svm.Threads, CancellationToken = cancellationToken },
                i => members[fold[i]].Scores(rows[i], svmOof.AsSpan(i * k, k), netOof.AsSpan(i * k, k)));
            o.Log?.Invoke($"held-out rows scored ({sw.Elapsed.TotalSeconds:F1}s)");

            double mix = PickMix(svmOof, netOof, y, k, members[0]);
            var oof = new float[y.Length * k];
            bool svmOnly = double.IsPositiveInfinity(mix);
            for (int i = 0; i < oof.Length; i++)
            {
                oof[i] = svmOnly ? svmOof[i] : (float)(mix * svmOof[i] + netOof[i]);
            }

            o.Log?.Invoke($"mix picked ({sw.Elapsed.TotalSeconds:F1}s)");
            var calWeights = OosCalibrationWeights(y, oosIndex);
            temperature = TemperatureScaling.RefineForEce(oof, y, k, TemperatureScaling.Fit(oof, y, k, calWeights), calWeights);
            final = full ? Members.Average([members[folds]], mix) : Members.Average(members[..folds], mix);
            double scale = full ? LogitScaleRatio(members[..folds], final, fold, rows, k, mix, cancellationToken) : 1;
            metrics["full_logit_scale"] = scale;
            var probs = oof;
            for (int i = 0; i < y.Length; i++)
            {
                TemperatureScaling.Softmax(probs.AsSpan(i * k, k), temperature);
            }

            IsotonicMap? iso = null;
            if (o.IsotonicCalibration)
            {
                var conf = new double[y.Length];
                var hit = new bool[y.Length];
                for (int i = 0; i < y.Length; i++)
                {
                    var row = probs.AsSpan(i * k, k);
                    int arg = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
                    conf[i] = row[arg];
                    hit[i] = arg == y[i];
                }

                iso = IsotonicMap.Fit(conf, hit, weights: calWeights);
                if (iso is not null)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        iso.Apply(probs.AsSpan(i * k, k));
                    }
                }
            }

            isotonic = iso;
            if (o.OosThreshold is null)
            {
                threshold = PickThreshold(probs, y, k, oosIndex, oosIndex >= 0 ? o.OosRejectRate : 0);
            }

            var cv = Metrics.FromProbabilities(probs, y, k, oosIndex, threshold);
            metrics["cv_accuracy"] = cv.Accuracy;
            metrics["cv_count"] = y.Length;
            metrics["cv_ece"] = cv.Ece;
            metrics["temperature"] = temperature;
            metrics["svm_mix"] = svmOnly ? -1 : mix; // -1: networks dropped
            metrics["oos_threshold"] = threshold;
            o.Log?.Invoke($"calibration: T={temperature:F4} mix={mix:F2} threshold={threshold:F3} cv_accuracy={cv.Accuracy:F4} cv_ece={cv.Ece:F4} scale={scale:F3}");
            // the folds calibrated models of their own logit scale; the full-data model's logits are larger
            temperature *= scale;
        }
        else
        {
            final = FitMembers([Enumerable.Range(0, y.Length).ToArray()], rows, y, cost, k, vec.Dimension, sw, cancellationToken)[0];
        }

        sw.Stop();
        o.Log?.Invoke($"trained {k} intents on {usable.Count} examples, {vec.Dimension} features, {sw.Elapsed.TotalSeconds:F2}s");
        var meta = new ModelMetadata
        {
            TrainingSetHash = HashExamples(usable),
            TrainingExamples = usable.Count,
            CreatedAt = DateTimeOffset.UtcNow,
            Algorithm = encoder is null ? o.Kind.ToString() : $"{o.Kind}+{encoder.Name}",
            TrainSeconds = sw.Elapsed.TotalSeconds,
            Metrics = metrics,
        };
        return new IntentModel(labels, vec, final.W ?? [], final.B ?? new float[k],
            temperature, threshold, o.OosLabel, meta, final.Nets, isotonic);
    }

    /// <summary>Whether a training with <paramref name="encoder"/> would use it: it covers the language of a fifth of the examples or more.</summary>
    public static bool UsesEncoder(ISentenceEncoder encoder, IEnumerable<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(examples);
        int all = 0, covered = 0;
        foreach (var e in examples)
        {
            all++;
            covered += encoder.Covers([e.Text]) ? 1 : 0;
        }

        return IsFairShare(covered, all);
    }

    private static bool IsFairShare(int covered, int all) => all > 0 && covered * 5 >= all;

    /// <summary>The trained parts of one (fold) model: an optional linear SVM and optional networks.</summary>
    private sealed record Members(float[]? W, float[]? B, SoftmaxMlp[] Nets)
    {
        public void Scores(SparseVector x, Span<float> svm, Span<float> net)
        {
            if (W is not null)
            {
                B!.CopyTo(svm);
                int k = svm.Length;
                for (int i = 0; i < x.Count; i++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(W.AsSpan(x.Indices[i] * k, k), x.Values[i], svm, svm);
                }
            }

            foreach (var n in Nets)
            {
                n.AddScores(x, net, 1f / Nets.Length);
            }
        }

        public static Members Average(Members[] m, double mix)
        {
            float[]? w = null, b = null;
            bool svmOnly = double.IsPositiveInfinity(mix);
            if (svmOnly)
            {
                mix = 1;
            }

            if (m[0].W is not null && mix > 0)
            {
                w = new float[m[0].W!.Length];
                b = new float[m[0].B!.Length];
                float s = (float)(mix / m.Length);
                foreach (var x in m)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x.W!, s, w, w);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x.B!, s, b, b);
                }
            }

            return new Members(w, b, svmOnly ? [] : m.SelectMany(x => x.Nets).ToArray());
        }
    }

    /// <summary>
    /// How much larger the shipped model's logits are than the fold models': the ratio of their mean top-1 minus
    /// top-2 margins on training rows, each fold model on rows it was trained on. More data means more SGD steps
    /// and sharper logits; a temperature fitted on the fold models' held-out scores, multiplied by this ratio,
    /// fits the shipped model's scale.
    /// </summary>
    private double LogitScaleRatio(Members[] foldModels, Members shipped, int[] fold, SparseVector[] rows, int k, double mix, CancellationToken ct)
    {
        int folds = foldModels.Length;
        // a mean over a few thousand evenly spaced rows is as good as over all of them, at a fraction of the scoring
        int step = Math.Max(1, rows.Length / 4000);
        int count = (rows.Length + step - 1) / step;
        var foldMargin = new double[count];
        var fullMargin = new double[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Options.Svm.Threads, CancellationToken = ct }, j =>
        {
            int i = j * step;
            Span<float> svm = stackalloc float[k];
            Span<float> net = stackalloc float[k];
            foldMargin[j] = TopMargin(foldModels[(fold[i] + 1) % folds], rows[i], svm, net, mix);
            // the shipped members carry the mix in their SVM weights already
            fullMargin[j] = TopMargin(shipped, rows[i], svm, net, double.IsPositiveInfinity(mix) ? mix : 1);
        });
        double f = foldMargin.Average();
        return f > 0 ? fullMargin.Average() / f : 1;
    }

    private static double TopMargin(Members m, SparseVector x, Span<float> svm, Span<float> net, double mix)
    {
        svm.Clear();
        net.Clear();
        m.Scores(x, svm, net);
        float top = float.NegativeInfinity, second = float.NegativeInfinity;
        for (int c = 0; c < svm.Length; c++)
        {
            float v = double.IsPositiveInfinity(mix) ? svm[c] : (float)(mix * svm[c] + net[c]);
            if (v > top)
            {
                second = top;
                top = v;
            }
            else if (v > second)
            {
                second = v;
            }
        }

        return top - second;
    }

    /// <summary>Weight of the SVM margins against the network logits, chosen by held-out accuracy.</summary>
    private static double PickMix(float[] svm, float[] net, int[] y, int k, Members shape)
    {
        if (shape.W is null)
        {
            return 0;
        }

        if (shape.Nets.Length == 0)
        {
            return 1;
        }

        double best = 1, bestAcc = -1;
        foreach (double a in new[] { 0.0, 1, 2, 4, 8, 16, 32, double.PositiveInfinity })
        {
            int ok = 0;
            for (int i = 0; i < y.Length; i++)
            {
                int arg = 0;
                double bv = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    double v = double.IsPositiveInfinity(a) ? svm[i * k + c] : a * svm[i * k + c] + net[i * k + c];
                    if (v > bv)
                    {
                        bv = v;
                        arg = c;
                    }
                }

                ok += arg == y[i] ? 1 : 0;
            }

            if (ok > bestAcc)
            {
                bestAcc = ok;
                best = a;
            }
        }

        // infinity stands for "SVM only"; the networks are then dropped from the model
        return best;
    }

    private Members[] FitMembers(int[][] parts, SparseVector[] rows, int[] y, float[] cost, int k, int dim, Stopwatch sw, CancellationToken ct)
    {
        var o = Options;
        var mats = parts.Select(p => new SparseMatrix(p.Select(i => rows[i]).ToArray(), dim)).ToArray();
        var ys = parts.Select(p => p.Select(i => y[i]).ToArray()).ToArray();
        var cs = parts.Select(p => p.Select(i => cost[i]).ToArray()).ToArray();
        var result = new Members[parts.Length];
        var nets = new SoftmaxMlp[parts.Length];
        var svm = new (float[] W, float[] B)[parts.Length];

        // one queue of independent jobs for both cores: the long network trainings first, then the linear models
        // fill the gaps (each job is seeded on its own, so the schedule does not change the result)
        var jobs = new List<Action>();
        // the biggest problems (the full-data model, if any) first, so no core idles at the end
        var bySize = Enumerable.Range(0, parts.Length).OrderByDescending(f => parts[f].Length).ThenBy(f => f).ToArray();
        if (o.Kind is ModelKind.Mlp or ModelKind.SvmMlp)
        {
            foreach (int f in bySize)
            {
                int fold = f;
                jobs.Add(() =>
                {
                    nets[fold] = SoftmaxMlp.Train(mats[fold], ys[fold], k, cs[fold], o.Mlp with { Seed = o.Seed * 31 + fold }, ct);
                    o.Log?.Invoke($"network {fold + 1}/{parts.Length} done ({sw.Elapsed.TotalSeconds:F1}s)");
                });
            }
        }

        if (o.Kind is ModelKind.Svm or ModelKind.SvmMlp)
        {
            foreach (int f in o.Linear == LinearKind.Logistic ? bySize : [])
            {
                int fold = f;
                jobs.Add(() =>
                {
                    var lr = SoftmaxMlp.Train(mats[fold], ys[fold], k, cs[fold], o.Logistic with { Hidden = 0, Seed = o.Seed * 17 + fold }, ct);
                    svm[fold] = (lr.W1, lr.B1);
                });
            }

            foreach (int f in o.Linear == LinearKind.Svm ? bySize : [])
            {
                var (w, b, svmJobs) = OneVsRestSvm.Jobs(mats[f], ys[f], k, cs[f], o.Svm with { Seed = o.Seed + f }, ct);
                svm[f] = (w, b);
                jobs.AddRange(svmJobs);
            }
        }

        var po = new ParallelOptions { MaxDegreeOfParallelism = o.Svm.Threads, CancellationToken = ct };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(jobs, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering), po, job => job());
        o.Log?.Invoke($"models trained ({sw.Elapsed.TotalSeconds:F1}s)");

        for (int f = 0; f < parts.Length; f++)
        {
            result[f] = new Members(svm[f].W, svm[f].B, nets[f] is null ? [] : [nets[f]]);
        }

        return result;
    }

    /// <summary>
    /// Calibration weights that give the held-out oos examples <see cref="NluOptions.OosTrafficShare"/> of the total
    /// weight: a training set holds few of them, live traffic many, and the confidences must be honest on both.
    /// Null (equal weights) without oos examples or with a share of zero.
    /// </summary>
    private float[]? OosCalibrationWeights(int[] y, int oosIndex)
    {
        double share = Options.OosTrafficShare;
        int oos = oosIndex < 0 ? 0 : y.Count(l => l == oosIndex);
        if (oos == 0 || oos == y.Length || share <= 0 || share >= 1)
        {
            return null;
        }

        float wOos = (float)(share / (1 - share) * (y.Length - oos) / oos);
        return y.Select(l => l == oosIndex ? wOos : 1f).ToArray();
    }

    internal static bool MostlyCyrillic(List<TrainingExample> examples)
    {
        long cyr = 0, letters = 0;
        foreach (var e in examples)
        {
            foreach (char c in e.Text)
            {
                if (char.IsLetter(c))
                {
                    letters++;
                    cyr += c is >= '\u0400' and <= '\u04FF' ? 1 : 0;
                }
            }
        }

        return letters > 0 && cyr * 2 > letters;
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
