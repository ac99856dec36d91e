using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Evaluation;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Serialization;

namespace BotEngine.Bot.Cli;

/// <summary>
/// The <c>nlu</c> verbs of the Bot executable (<c>dotnet run --project Bot -- nlu ...</c>): <c>eval</c>, <c>train</c>,
/// <c>predict</c>, <c>vectors</c>. The host's, not the library's: Nlu holds no console code.
/// Results go to stdout (eval's last line is one JSON object), progress and errors to stderr.
/// </summary>
public static class NluCommandLine
{
    private const string Usage = """
        usage: nlu eval    --train FILE --test FILE [--report FILE.html] [--errors FILE.tsv] [training options]
               nlu train   --train FILE --out MODEL [training options]
               nlu mlnet   --train FILE --test FILE  (the ML.NET peer of the benchmark: FeaturizeText + SdcaMaximumEntropy)
               nlu decide  --train FILE [training options]  (accept / clarify / fallback: a FastTree model over the
                                                     classifier's signals against plain thresholds, on held-out folds
                                                     of the training file; --encoder minilm to classify with it)
               nlu kb-search --kb KB.json --queries FILE.tsv [--encoder minilm|arctic] [--unrelated FILE] [--verbose]
                             [--meaning-weight W] [--half 0|1]
                                                    (the KB search by words, by meaning and both: hit@1, hit@3,
                                                     MRR@10 on labelled queries, query<TAB>article id a line)
               nlu predict --model MODEL            (reads messages from stdin, one per line; prints JSON top-3)
               nlu vectors --from FILE --out VECTORS [--max-words N] [--dims N]
                                                    (imports pretrained word vectors: GloVe or fastText text, or
                                                     wink-embeddings JSON; the most frequent N words, 100000 by default;
                                                     --dims: keep that many principal components)
        training options: --c X  --tol X  --svm-iter N  --svm-per-class  --folds N  --seed N
                          --oos-threshold P  --oos-reject-rate R  --oos-weight W  --oos-share S
                          --kind svm|mlp|svmmlp  --linear svm|logistic  --final average|full
                          --hidden N  --epochs N  --lr X  --dropout X  --l2 X  --lr-epochs N  --lr-rate X  --lr-l2 X
                          --word-max N  --char-min N  --char-max N  --cross-min N  --cross-max N  --stem N  --min-df N
                          --word-weight X  --cross-weight X  --vectors VECTORS  --vector-weight X  --no-balance  --no-isotonic  --quiet
                          --encoder minilm|arctic|none|auto  (auto: trains without MiniLM and with it at --encoder-weight
                                                       and twice that, keeps the higher held-out accuracy
                                                       on the training file's folds)
                          --encoder-weight X  --embedding-cache FILE  (embeddings of training texts kept between runs)
        files: text<TAB>intent per line, UTF-8; label oos marks out-of-scope examples.
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stderr.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var opts = ParseOptions(args.Skip(1).ToArray());
            return args[0] switch
            {
                "eval" => await EvalAsync(opts, stdout, stderr, ct),
                "train" => await TrainAsync(opts, stdout, stderr, ct),
                "predict" => await PredictAsync(opts, stdin, stdout, ct),
                "vectors" => await ImportVectorsAsync(opts, stdout),
                "mlnet" => await MlNetAsync(opts, stdout),
                "decide" => await DecideAsync(opts, stdout, stderr, ct),
                "kb-search" => KbSearchEvaluation.Run(
                    Require(opts, "kb"), Require(opts, "queries"), opts.GetValueOrDefault("encoder") ?? SentenceEncoders.MiniLm,
                    opts.GetValueOrDefault("unrelated"), opts.ContainsKey("verbose"),
                    opts.TryGetValue("meaning-weight", out var weight) ? double.Parse(weight!, CultureInfo.InvariantCulture) : null,
                    opts.TryGetValue("half", out var half) ? int.Parse(half!, CultureInfo.InvariantCulture) : null, stdout),
                _ => await FailAsync(stderr, $"unknown nlu verb '{args[0]}'\n{Usage}"),
            };
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"nlu: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> FailAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync(message);
        return 2;
    }

    private static Dictionary<string, string?> ParseOptions(string[] args)
    {
        var d = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            string key = args[i][2..];
            if (key is "no-balance" or "quiet" or "in-memory" or "no-isotonic" or "svm-per-class" or "verbose")
            {
                d[key] = null;
            }
            else if (i + 1 < args.Length)
            {
                d[key] = args[++i];
            }
            else
            {
                throw new ArgumentException($"option --{key} needs a value");
            }
        }

        return d;
    }

    private static string Require(Dictionary<string, string?> o, string key)
        => o.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : throw new ArgumentException($"missing --{key}");

    private static NluOptions BuildOptions(Dictionary<string, string?> o, TextWriter stderr)
    {
        var n = new NluOptions();
        var f = n.Features;
        var svm = n.Svm;
        double D(string k) => double.Parse(o[k]!, CultureInfo.InvariantCulture);
        int I(string k) => int.Parse(o[k]!, CultureInfo.InvariantCulture);
        if (o.ContainsKey("c")) svm = svm with { C = D("c") };
        if (o.ContainsKey("tol")) svm = svm with { Tolerance = D("tol") };
        if (o.ContainsKey("svm-per-class")) svm = svm with { AllClassesAtOnce = false };
        if (o.ContainsKey("svm-iter")) svm = svm with { MaxIterations = I("svm-iter") };
        if (o.ContainsKey("pos-boost")) svm = svm with { PositiveBoost = D("pos-boost") };
        if (o.ContainsKey("word-weight")) f = f with { WordWeight = (float)D("word-weight") };
        if (o.ContainsKey("vector-weight")) f = f with { VectorWeight = (float)D("vector-weight") };
        if (o.ContainsKey("encoder-weight")) f = f with { EncoderWeight = (float)D("encoder-weight") };
        if (o.ContainsKey("cross-weight")) f = f with { CrossWeight = (float)D("cross-weight") };
        if (o.ContainsKey("word-max")) f = f with { WordNgramMax = I("word-max") };
        if (o.ContainsKey("char-min")) f = f with { CharMin = I("char-min") };
        if (o.ContainsKey("char-max")) f = f with { CharMax = I("char-max") };
        if (o.ContainsKey("cross-min")) f = f with { CrossCharMin = I("cross-min") };
        if (o.ContainsKey("cross-max")) f = f with { CrossCharMax = I("cross-max") };
        if (o.ContainsKey("stem")) f = f with { PrefixStem = I("stem") };
        if (o.ContainsKey("min-df")) f = f with { MinDf = I("min-df") };
        n = n with { Features = f, Svm = svm };
        if (o.ContainsKey("word-weight")) n = n with { CyrillicWordWeight = null };
        if (o.ContainsKey("kind")) n = n with { Kind = Enum.Parse<ModelKind>(o["kind"]!, ignoreCase: true) };
        var mlp = n.Mlp;
        if (o.ContainsKey("hidden")) mlp = mlp with { Hidden = I("hidden") };
        if (o.ContainsKey("hidden")) n = n with { VectorNetworkHidden = null };
        if (o.ContainsKey("epochs")) mlp = mlp with { Epochs = I("epochs") };
        if (o.ContainsKey("lr")) mlp = mlp with { LearningRate = (float)D("lr") };
        if (o.ContainsKey("dropout")) mlp = mlp with { Dropout = (float)D("dropout") };
        if (o.ContainsKey("l2")) mlp = mlp with { L2 = (float)D("l2") };
        n = n with { Mlp = mlp };
        if (o.ContainsKey("oos-weight")) n = n with { OosWeight = (float)D("oos-weight") };
        if (o.ContainsKey("final")) n = n with { Final = o["final"] == "full" ? FinalModel.FullData : FinalModel.FoldAverage };
        if (o.ContainsKey("linear")) n = n with { Linear = Enum.Parse<LinearKind>(o["linear"]!, ignoreCase: true) };
        var lo = n.Logistic;
        if (o.ContainsKey("lr-epochs")) lo = lo with { Epochs = I("lr-epochs") };
        if (o.ContainsKey("lr-rate")) lo = lo with { LearningRate = (float)D("lr-rate") };
        if (o.ContainsKey("lr-l2")) lo = lo with { L2 = (float)D("lr-l2") };
        n = n with { Logistic = lo };
        if (o.ContainsKey("folds")) n = n with { CalibrationFolds = I("folds") };
        if (o.ContainsKey("oos-threshold")) n = n with { OosThreshold = D("oos-threshold") };
        if (o.ContainsKey("oos-share")) n = n with { OosTrafficShare = D("oos-share") };
        if (o.ContainsKey("oos-reject-rate")) n = n with { OosRejectRate = D("oos-reject-rate") };
        if (o.TryGetValue("vectors", out var vectors) && !string.IsNullOrEmpty(vectors)) n = n with { WordVectors = WordVectors.Load(vectors) };
        if (EncoderChoice(o) is not "none")
        {
            // auto compares the classifier's default encoder (MiniLM) with none
            var encoder = SentenceEncoders.Shared(EncoderChoice(o) is "auto" ? SentenceEncoders.MiniLm : EncoderChoice(o));
            n = n with { Encoder = encoder };
            if (o.TryGetValue("embedding-cache", out var cache) && !string.IsNullOrEmpty(cache))
            {
                n = n with { EmbeddingCache = EmbeddingCache.Load(cache, encoder.Name, encoder.Dimension) };
            }
        }

        if (o.ContainsKey("seed")) n = n with { Seed = I("seed") };
        if (o.ContainsKey("no-balance")) n = n with { BalanceClasses = false };
        if (o.ContainsKey("no-isotonic")) n = n with { IsotonicCalibration = false };
        if (!o.ContainsKey("quiet")) n = n with { Log = line => stderr.WriteLine($"[nlu] {line}") };
        return n;
    }

    /// <summary>The --encoder value: minilm, arctic, none or auto (the default: MiniLM or none, chosen by held-out accuracy on the training file).</summary>
    private static string EncoderChoice(Dictionary<string, string?> o)
    {
        string choice = o.TryGetValue("encoder", out var e) && !string.IsNullOrEmpty(e) ? e : "auto";
        return choice is SentenceEncoders.MiniLm or SentenceEncoders.ArcticXs or "none" or "auto"
            ? choice
            : throw new ArgumentException($"--encoder must be minilm, arctic, none or auto, not '{choice}'");
    }

    /// <summary>Trains as --encoder says: with it, without it, or both and keeps the better by cross-validation.</summary>
    private static IntentModel TrainChosen(Dictionary<string, string?> o, NluOptions options, IReadOnlyList<TrainingExample> examples, CancellationToken ct)
    {
        // an encoder whose vocabulary misses the examples' language would be left out anyway: one training suffices
        var model = EncoderChoice(o) == "auto" && IntentTrainer.UsesEncoder(options.Encoder!, examples)
            ? new ChoosingTrainer([("no encoder", options with { Encoder = null }), .. EncoderCandidates.WithEncoder(options)]).Train(examples, ct)
            : new IntentTrainer(EncoderChoice(o) == "auto" ? options with { Encoder = null } : options).Train(examples, ct);
        if (o.TryGetValue("embedding-cache", out var cache) && !string.IsNullOrEmpty(cache) && options.EmbeddingCache is { } c)
        {
            c.Save(cache);
        }

        return model;
    }

    private static async Task<int> EvalAsync(Dictionary<string, string?> o, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var train = TsvDataset.Read(Require(o, "train"));
        var test = TsvDataset.Read(Require(o, "test"));
        var options = BuildOptions(o, stderr);
        options.Log?.Invoke($"training on {train.Count} examples");
        var sw = Stopwatch.StartNew();
        var trained = TrainChosen(o, options, TsvDataset.ToExamples(train), ct);
        double trainS = sw.Elapsed.TotalSeconds;

        // evaluate the model as shipped: written to the file format and read back
        using var file = new MemoryStream();
        ModelSerializer.Save(trained, file);
        long bytes = file.Length;
        file.Position = 0;
        var model = o.ContainsKey("in-memory") ? trained : ModelSerializer.Load(file);
        options.Log?.Invoke($"evaluating on {test.Count} examples");
        var result = Evaluator.Evaluate(model, test, options.OosLabel, ct);

        await WriteIntentTableAsync(stdout, result);
        if (result.OosRecall is not null)
        {
            await stdout.WriteLineAsync($"out-of-scope trade-off (model threshold {model.OosThreshold:F3}):");
            var ts = new[] { 0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, model.OosThreshold }.Distinct().Order();
            foreach (var (t, acc, rec) in Evaluator.ThresholdSweep(result, ts, options.OosLabel))
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  threshold {t:F3}: accuracy_in_scope {acc:F4} oos_recall {rec:F4}"));
            }
        }

        if (o.TryGetValue("errors", out var errors) && !string.IsNullOrEmpty(errors))
        {
            // text<TAB>gold<TAB>predicted<TAB>confidence of each wrong answer, to read what the model gets wrong
            var lines = result.Items.Where(i => i.Predicted != i.Gold)
                .Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Text}\t{i.Gold}\t{i.Predicted}\t{i.TopConfidence:F3}"));
            await File.WriteAllLinesAsync(errors, lines, ct);
        }

        if (o.TryGetValue("report", out var report) && !string.IsNullOrEmpty(report))
        {
            await File.WriteAllTextAsync(report, HtmlReport.Render(result, model, Path.GetFileName(o["train"]), Path.GetFileName(o["test"])), ct);
            options.Log?.Invoke($"report written to {report}");
        }

        var json = new JsonObject
        {
            ["accuracy_in_scope"] = Math.Round(result.AccuracyInScope, 4),
            ["accuracy_all"] = Math.Round(result.AccuracyAll, 4),
            ["macro_f1"] = Math.Round(result.MacroF1, 4),
        };
        if (result.OosRecall is double r)
        {
            json["oos_recall"] = Math.Round(r, 4);
        }

        json["ece"] = Math.Round(result.Ece, 4);
        json["encoder"] = model.Vectorizer.Encoder?.Name ?? "none";
        if (model.Metadata.Metrics.TryGetValue("cv_accuracy", out double cv))
        {
            json["cv_accuracy"] = Math.Round(cv, 5);
        }

        json["train_s"] = Math.Round(trainS, 3);
        json["predict_us_p50"] = Math.Round(result.PredictUsP50, 1);
        json["predict_us_p99"] = Math.Round(result.PredictUsP99, 1);
        json["model_bytes"] = bytes;
        await stdout.WriteLineAsync(json.ToJsonString());
        return 0;
    }

    private static async Task WriteIntentTableAsync(TextWriter stdout, EvaluationResult r)
    {
        await stdout.WriteLineAsync($"{"intent",-40} {"support",8} {"precision",9} {"recall",7} {"f1",6}");
        foreach (var s in r.PerIntent.Where(s => s.Support > 0).OrderBy(s => s.F1).ThenBy(s => s.Intent, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Truncate(s.Intent, 40),-40} {s.Support,8} {s.Precision,9:F3} {s.Recall,7:F3} {s.F1,6:F3}"));
        }
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static async Task<int> TrainAsync(Dictionary<string, string?> o, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var train = TsvDataset.Read(Require(o, "train"));
        string output = Require(o, "out");
        var options = BuildOptions(o, stderr);
        var model = TrainChosen(o, options, TsvDataset.ToExamples(train), ct);
        ModelSerializer.Save(model, output);
        var json = new JsonObject
        {
            ["model"] = output,
            ["intents"] = model.Labels.Length,
            ["features"] = model.Vectorizer.Dimension,
            ["encoder"] = model.Vectorizer.Encoder?.Name ?? "none",
            ["train_s"] = Math.Round(model.Metadata.TrainSeconds, 3),
            ["model_bytes"] = new FileInfo(output).Length,
            ["training_set_hash"] = model.Metadata.TrainingSetHash,
        };
        if (HeldOutChoice.TryScore(model, out var cv))
        {
            // held-out accuracy on the training file's own folds, and over how many predictions: what a setting is chosen by
            json["cv_accuracy"] = Math.Round(cv.Accuracy, 5);
            json["cv_count"] = cv.Count;
        }

        await stdout.WriteLineAsync(json.ToJsonString());
        return 0;
    }

    private static async Task<int> MlNetAsync(Dictionary<string, string?> o, TextWriter stdout)
    {
        var train = TsvDataset.Read(Require(o, "train"));
        var test = TsvDataset.Read(Require(o, "test"));
        var r = MlNetPeer.Run(train, test, new NluOptions().OosLabel);
        var json = new JsonObject
        {
            ["accuracy_in_scope"] = Math.Round(r.AccuracyInScope, 4),
            ["accuracy_all"] = Math.Round(r.AccuracyAll, 4),
            ["train_s"] = Math.Round(r.TrainSeconds, 2),
            ["predict_us_per_item"] = Math.Round(r.PredictUsPerItem, 1),
        };
        if (r.OosRecall is double recall)
        {
            json["oos_recall"] = Math.Round(recall, 4);
        }

        await stdout.WriteLineAsync(json.ToJsonString());
        return 0;
    }

    private static async Task<int> DecideAsync(Dictionary<string, string?> o, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var train = TsvDataset.Read(Require(o, "train"));
        var options = BuildOptions(o, stderr);
        var r = DecisionExperiment.Run(train, EncoderChoice(o) is SentenceEncoders.MiniLm or SentenceEncoders.ArcticXs ? options : options with { Encoder = null }, ct);
        static JsonObject Of(DecisionExperiment.Outcome x) => new()
        {
            ["utility"] = Math.Round(x.Utility, 4),
            ["accept_rate"] = Math.Round(x.AcceptRate, 4),
            ["accept_precision"] = Math.Round(x.AcceptPrecision, 4),
            ["clarify_rate"] = Math.Round(x.ClarifyRate, 4),
            ["clarify_hit"] = Math.Round(x.ClarifyHit, 4),
            ["fallback_rate"] = Math.Round(x.FallbackRate, 4),
        };
        var json = new JsonObject
        {
            ["cases"] = r.Cases,
            ["top_right"] = Math.Round(r.TopRight, 4),
            ["in_top3"] = Math.Round(r.InCandidates, 4),
            ["thresholds"] = Of(r.Thresholds),
            ["model"] = Of(r.Model),
            ["train_s"] = Math.Round(r.TrainSeconds, 2),
        };
        await stdout.WriteLineAsync(json.ToJsonString());
        return 0;
    }

    private static async Task<int> ImportVectorsAsync(Dictionary<string, string?> o, TextWriter stdout)
    {
        string from = Require(o, "from");
        string output = Require(o, "out");
        int max = o.TryGetValue("max-words", out var m) && m is not null ? int.Parse(m, CultureInfo.InvariantCulture) : 100_000;
        if (max <= 0)
        {
            throw new ArgumentException("--max-words must be positive");
        }

        int dims = o.TryGetValue("dims", out var dv) && dv is not null ? int.Parse(dv, CultureInfo.InvariantCulture) : 0;
        if (dims < 0)
        {
            throw new ArgumentException("--dims must be positive");
        }

        var vectors = WordVectors.Import(from, max, dims);
        vectors.Save(output);
        var json = new JsonObject
        {
            ["vectors"] = output,
            ["words"] = vectors.Count,
            ["dimension"] = vectors.Dimension,
            ["bytes"] = new FileInfo(output).Length,
        };
        await stdout.WriteLineAsync(json.ToJsonString());
        return 0;
    }

    private static async Task<int> PredictAsync(Dictionary<string, string?> o, TextReader stdin, TextWriter stdout, CancellationToken ct)
    {
        var model = ModelSerializer.Load(Require(o, "model"));
        int k = o.TryGetValue("top", out var t) && t is not null ? int.Parse(t, CultureInfo.InvariantCulture) : 3;
        string? line;
        while ((line = await stdin.ReadLineAsync(ct)) is not null)
        {
            var p = model.Predict(line, k);
            var top = new JsonArray();
            foreach (var s in p.Top)
            {
                top.Add(new JsonObject { ["intent"] = s.Intent, ["confidence"] = Math.Round(s.Confidence, 4) });
            }

            var json = new JsonObject { ["text"] = line, ["out_of_scope"] = p.IsOutOfScope, ["top"] = top };
            await stdout.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }

        return 0;
    }
}
