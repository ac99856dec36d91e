using System.Text.Json;
using BotEngine.Bot.Cli;
using BotEngine.Nlu.Features;

namespace BotEngine.Bot.Tests;

/// <summary>The host's <c>nlu</c> verbs (<c>dotnet run --project Bot -- nlu ...</c>) on small files.</summary>
public sealed class NluCommandLineTests : IDisposable
{
    // The Nlu tests' small bilingual set (the same file, linked into this project).
    private static readonly (string Intent, string[] Phrasings)[] Intents = BotEngine.Nlu.Tests.TinyData.Intents;

    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteTsv(string name, IEnumerable<(string Text, string Label)> rows)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, rows.Select(r => $"{r.Text}\t{r.Label}"));
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await NluCommandLine.RunAsync(args, new StringReader(stdin), o, e, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Eval_prints_metrics_as_the_last_json_line_and_writes_a_report()
    {
        var all = Intents.SelectMany(i => i.Phrasings.Select((p, n) => (p, i.Intent, n))).ToList();
        string train = WriteTsv("train.tsv", all.Where(x => x.n % 4 != 0).Select(x => (x.p, x.Intent)));
        string test = WriteTsv("test.tsv", all.Where(x => x.n % 4 == 0).Select(x => (x.p, x.Intent)).Append(("play some jazz", "oos")));
        string report = Path.Combine(_dir, "r.html");
        var (code, stdout, _) = await Run("", "eval", "--train", train, "--test", test, "--report", report, "--quiet");
        Assert.Equal(0, code);
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        foreach (var key in new[] { "accuracy_in_scope", "accuracy_all", "macro_f1", "oos_recall", "ece", "train_s", "predict_us_p50", "predict_us_p99", "model_bytes" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.InRange(json.RootElement.GetProperty("accuracy_in_scope").GetDouble(), 0.5, 1.0);
        string html = await File.ReadAllTextAsync(report);
        Assert.Contains("<svg", html);
        Assert.Contains("Reliability diagram", html);
    }

    [Fact]
    public async Task The_mlnet_peer_trains_and_scores_the_same_files()
    {
        var all = Intents.SelectMany(i => i.Phrasings.Select((p, n) => (p, i.Intent, n))).ToList();
        string train = WriteTsv("train.tsv", all.Where(x => x.n % 4 != 0).Select(x => (x.p, x.Intent)));
        string test = WriteTsv("test.tsv", all.Where(x => x.n % 4 == 0).Select(x => (x.p, x.Intent)).Append(("play some jazz", "oos")));
        var (code, stdout, err) = await Run("", "mlnet", "--train", train, "--test", test);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        // ten in-scope test items, five intents: a learner that learned nothing would be right about twice
        Assert.InRange(json.RootElement.GetProperty("accuracy_in_scope").GetDouble(), 0.5, 1.0);
        Assert.Equal(0.0, json.RootElement.GetProperty("oos_recall").GetDouble()); // no oos in training: never predicted
        Assert.True(json.RootElement.GetProperty("train_s").GetDouble() > 0);
    }

    [Fact]
    public async Task Decide_compares_the_tree_model_with_thresholds_on_held_out_predictions()
    {
        // each phrasing three ways, so each half of the file holds every intent in both languages
        var rows = Intents.SelectMany(i => i.Phrasings.SelectMany(p => new[] { p, p + " please", "hello, " + p }.Select(t => (t, i.Intent)))).ToList();
        var (code, stdout, err) = await Run("", "decide", "--train", WriteTsv("train.tsv", rows), "--quiet");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal(rows.Count, root.GetProperty("cases").GetInt32());
        Assert.InRange(root.GetProperty("top_right").GetDouble(), 0.5, 1.0); // five intents: chance is 0.2
        Assert.True(root.GetProperty("in_top3").GetDouble() >= root.GetProperty("top_right").GetDouble());
        foreach (var policy in new[] { "thresholds", "model" })
        {
            var p = root.GetProperty(policy);
            Assert.InRange(p.GetProperty("utility").GetDouble(), -1.0, 1.0);
            double rates = p.GetProperty("accept_rate").GetDouble() + p.GetProperty("clarify_rate").GetDouble() + p.GetProperty("fallback_rate").GetDouble();
            Assert.InRange(rates, 0.999, 1.001); // every case gets exactly one decision
        }

        // thresholds fitted on held-out folds never do worse than answering nothing
        Assert.True(root.GetProperty("thresholds").GetProperty("utility").GetDouble() >= 0);
    }

    [Fact]
    public async Task Decide_refuses_a_file_too_small_to_compare_policies()
    {
        var (code, _, err) = await Run("", "decide", "--train", WriteTsv("train.tsv", Intents.Select(i => (i.Phrasings[0], i.Intent)).Concat(Intents.Select(i => (i.Phrasings[1], i.Intent)))), "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("too few to compare decision policies", err);
    }

    [Fact]
    public async Task An_unknown_encoder_is_refused_with_the_choices()
    {
        string train = WriteTsv("train.tsv", Intents.SelectMany(i => i.Phrasings.Select(p => (p, i.Intent))));
        var (code, _, err) = await Run("", "train", "--train", train, "--out", Path.Combine(_dir, "m.nlu"), "--encoder", "bert");
        Assert.Equal(1, code);
        Assert.Contains("--encoder must be minilm, arctic, none or auto, not 'bert'", err);
    }

    [Fact]
    public async Task Kb_search_ranks_the_demo_kbs_labelled_queries_by_words_meaning_and_both()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "training-data");
        var (code, stdout, err) = await Run("", "kb-search", "--kb", Path.Combine(data, "demo-kb.json"),
            "--queries", Path.Combine(data, "kb-search-queries.tsv"), "--unrelated", Path.Combine(data, "kb-search-unrelated.txt"));
        Assert.True(code == 0, err);
        var hit1 = stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5 && f[0] is "words" or "meaning" or "both")
            .ToDictionary(f => f[0], f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["words", "meaning", "both"], hit1.Keys);
        // the labelled queries are phrased away from the articles' words: meaning has to add to them
        Assert.True(hit1["both"] > hit1["words"], stdout);
        Assert.Contains("60 queries", stdout);
        Assert.Contains("unrelated queries with an article at or above the floor:", stdout);

        File.WriteAllText(Path.Combine(_dir, "bad.tsv"), "query\tno_such_article\n");
        var (badCode, _, badErr) = await Run("", "kb-search", "--kb", Path.Combine(data, "demo-kb.json"), "--queries", Path.Combine(_dir, "bad.tsv"));
        Assert.NotEqual(0, badCode);
        Assert.Contains("no article no_such_article", badErr);
    }

    [Fact]
    public async Task Train_then_predict_reads_stdin_and_answers_json_top3()
    {
        string train = WriteTsv("train.tsv", Intents.SelectMany(i => i.Phrasings.Select(p => (p, i.Intent))));
        string model = Path.Combine(_dir, "m.nlu");
        var (code, _, _) = await Run("", "train", "--train", train, "--out", model, "--quiet");
        Assert.Equal(0, code);
        Assert.True(File.Exists(model));
        var (pcode, stdout, _) = await Run("где мой заказ\nreset my password\n", "predict", "--model", model);
        Assert.Equal(0, pcode);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(3, first.RootElement.GetProperty("top").GetArrayLength());
        Assert.Equal("delivery_status", first.RootElement.GetProperty("top")[0].GetProperty("intent").GetString());
    }

    [Fact]
    public async Task Bad_arguments_fail_with_a_message()
    {
        var (code, _, err) = await Run("", "eval", "--train");
        Assert.NotEqual(0, code);
        Assert.Contains("--train", err);
        var (code2, _, _) = await Run("", "frobnicate");
        Assert.Equal(2, code2);
    }

    [Fact]
    public async Task Vectors_verb_imports_a_file_with_fewer_dimensions()
    {
        string source = Path.Combine(_dir, "glove.txt");
        File.WriteAllText(source, """
            hello 0.9 0.1 0.0
            hi 0.8 0.2 0.1
            goodbye 0.0 0.9 0.1
            bye 0.1 0.8 0.0
            friend 0.4 0.4 0.9
            """);
        string output = Path.Combine(_dir, "glove.bevec");
        var (code, stdout, _) = await Run("", "vectors", "--from", source, "--out", output, "--dims", "2");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("dimension").GetInt32());
        Assert.Equal(2, WordVectors.Load(output).Dimension);

        var (bad, _, err) = await Run("", "vectors", "--from", Path.Combine(_dir, "missing.txt"), "--out", output);
        Assert.Equal(1, bad);
        Assert.Contains("missing.txt", err);
    }
}
