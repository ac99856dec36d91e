using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot;
using BotEngine.Engine.Knowledge;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bench;

/// <summary>
/// A month of the learning loop on an intent data set (banking77 by default): the KB is 10 phrasings per intent (a
/// deterministic sample, seed 0), the rest of the train file arrives as labelled history in weekly batches through
/// the labels API, and each week the training job runs through the API (cross-validated gate, promotion). After the
/// KB and after each week: accuracy on the test file of the live classifier (top 1) and of the bot's answers (the
/// threshold, the exact-match overlay), and of scikit-learn's TF-IDF + LinearSVC trained on the same examples.
/// </summary>
public static class LearningMonthBenchmark
{
    private const string AdminPassword = "bench-admin-password";

    public static async Task<int> RunAsync(string[] args)
    {
        var data = PipelineBenchmark.StringArg(args, "--data") ?? FindDataSet("banking77");
        var shots = PipelineBenchmark.IntArg(args, "--shots", 10);
        var weeks = PipelineBenchmark.IntArg(args, "--weeks", 4);
        var folds = PipelineBenchmark.IntArg(args, "--folds", 2);
        var python = PipelineBenchmark.StringArg(args, "--python") ?? "/usr/bin/python3";
        var sklearnScript = Path.Combine(AppContext.BaseDirectory, "learning_sklearn.py");
        var train = ReadTsv(Path.Combine(data, "train.tsv"));
        var test = ReadTsv(Path.Combine(data, "test.tsv"));
        var testFile = Path.Combine(Path.GetTempPath(), $"learning-month-test-{Guid.NewGuid():N}.tsv");
        await File.WriteAllLinesAsync(testFile, test.Select(e => e.Text.Replace('\t', ' ') + "\t" + e.Intent));

        // The KB: the first `shots` examples of each intent after a seeded shuffle; the rest is the month's history.
        var random = new Random(0);
        var shuffled = train.OrderBy(_ => random.Next()).ToList();
        var kb = shuffled.GroupBy(e => e.Intent).ToDictionary(g => g.Key, g => g.Take(shots).Select(e => e.Text).ToList(), StringComparer.Ordinal);
        var kbTexts = kb.SelectMany(p => p.Value.Select(t => (Text: t, Intent: p.Key))).ToHashSet();
        var history = shuffled.Where(e => !kbTexts.Remove((e.Text, e.Intent))).ToList();
        var batch = (history.Count + weeks - 1) / weeks;

        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-learning-month-" + Guid.NewGuid().ToString("N"));
        string[] engineArgs =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Bootstrap:AdminPassword=" + AdminPassword,
            "--Jobs:Schedule=false", "--data-dir", dataDir, "--Learning:CrossValidationFolds=" + folds, .. ExtraArgs(args),
        ];
        await using var app = BotApp.Build(engineArgs);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
        var token = await (await http.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = AdminPassword })).Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!["token"]!.GetValue<string>());
        var knowledge = app.Services.GetRequiredService<KnowledgeRuntime>();

        var clock = Stopwatch.StartNew();
        var document = new JsonObject
        {
            ["articles"] = new JsonArray(kb.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Key, ["title"] = p.Key, ["questions"] = new JsonArray(p.Value.Select(q => (JsonNode)q!).ToArray()),
                ["answers"] = new JsonArray(new JsonObject { ["text"] = p.Key }),
            }).ToArray()),
        };
        var imported = await http.PostAsync("/api/v1/kb/import?replace=true", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
        imported.EnsureSuccessStatusCode();
        while (knowledge.Status.Revision != knowledge.Status.ClassifierRevision)
            await Task.Delay(200);
        var kbTrainSeconds = clock.Elapsed.TotalSeconds;

        var labelled = new List<(string Text, string Intent)>();
        var rows = new List<Dictionary<string, object?>>();
        rows.Add(await WeekRowAsync(0, "kb", null, kbTrainSeconds, 0));
        for (var week = 1; week <= weeks; week++)
        {
            var added = history.Skip((week - 1) * batch).Take(batch).ToList();
            clock.Restart();
            await Parallel.ForEachAsync(added, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (example, ct) =>
            {
                var response = await http.PostAsJsonAsync("/api/v1/nlu/labels", new { text = example.Text, language = "en", articleId = example.Intent }, ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"label '{example.Text}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            });
            var labelSeconds = clock.Elapsed.TotalSeconds;
            labelled.AddRange(added.Select(e => (e.Text, e.Intent)));

            clock.Restart();
            var before = (await http.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models?limit=1"))!.FirstOrDefault()?["id"]?.GetValue<string>();
            (await http.PostAsync("/api/v1/nlu/training-runs", null)).EnsureSuccessStatusCode();
            JsonObject? model = null;
            while (model is null)
            {
                await Task.Delay(1000);
                var newest = (await http.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models?limit=1"))!.FirstOrDefault()?.AsObject();
                if (newest is not null && newest["id"]!.GetValue<string>() != before)
                    model = newest;
            }
            rows.Add(await WeekRowAsync(week, model["status"]!.GetValue<string>(), model, clock.Elapsed.TotalSeconds, labelSeconds));
        }
        await app.StopAsync();
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
        File.Delete(testFile);

        Console.Error.WriteLine($"{"week",4} {"labels",7} {"status",9} {"top1 %",7} {"bot %",6} {"sklearn %",9} {"train s",8}");
        foreach (var r in rows)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r["week"],4} {r["labels"],7} {r["status"],9} {r["top1_accuracy"],7} {r["bot_accuracy"],6} {r["sklearn_accuracy"],9} {r["train_s"],8}"));
        Console.WriteLine(JsonSerializer.Serialize(new { dataset = Path.GetFileName(data.TrimEnd('/')), shots, weeks, folds, kb_phrasings = kb.Sum(p => p.Value.Count), history = history.Count, test = test.Count, rows }));
        return 0;

        async Task<Dictionary<string, object?>> WeekRowAsync(int week, string status, JsonObject? model, double trainSeconds, double labelSeconds)
        {
            var classifier = knowledge.Classifier;
            var matcher = knowledge.MatcherFor(knowledge.Document);
            var minConfidence = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KnowledgeOptions>>().Value.MinConfidence;
            int top1 = 0, answered = 0;
            foreach (var (text, intent) in test)
            {
                if (classifier.Predict(text, 1).Top is [var best, ..] && best.Intent == intent)
                    top1++;
                if (matcher.Match(text, "en") is [var first, ..] && first.Confidence >= minConfidence && first.ArticleId == intent)
                    answered++;
            }
            var examples = kb.SelectMany(p => p.Value.Select(t => (t, p.Key))).Concat(labelled).ToList();
            var sklearn = await SklearnAsync(python, sklearnScript, examples, testFile);
            var row = new Dictionary<string, object?>
            {
                ["week"] = week, ["labels"] = labelled.Count, ["status"] = status,
                ["top1_accuracy"] = Math.Round(100.0 * top1 / test.Count, 2), ["bot_accuracy"] = Math.Round(100.0 * answered / test.Count, 2),
                ["sklearn_accuracy"] = sklearn, ["train_s"] = Math.Round(trainSeconds, 1), ["label_s"] = Math.Round(labelSeconds, 1),
            };
            if (model is not null)
            {
                row["reason"] = model["reason"]!.GetValue<string>();
                row["cv_candidate"] = model["metrics"]!["candidate"]?["inScopeAccuracy"]?.GetValue<double>();
                row["cv_live"] = model["metrics"]!["live"]?["inScopeAccuracy"]?.GetValue<double>();
            }
            Console.Error.WriteLine(JsonSerializer.Serialize(row));
            return row;
        }
    }

    /// <summary>scikit-learn's TF-IDF (word 1-2, char_wb 2-5) + LinearSVC on the same examples; accuracy on the test file in %, or null without scikit-learn.</summary>
    private static async Task<double?> SklearnAsync(string python, string script, List<(string Text, string Intent)> examples, string testFile)
    {
        var trainFile = Path.Combine(Path.GetTempPath(), $"learning-month-{Guid.NewGuid():N}.tsv");
        await File.WriteAllLinesAsync(trainFile, examples.Select(e => e.Text.Replace('\t', ' ') + "\t" + e.Intent));
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, [script, trainFile, testFile]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"scikit-learn failed: {errors.Trim()}");
                return null;
            }
            return Math.Round(100 * JsonNode.Parse(output)!["accuracy"]!.GetValue<double>(), 2);
        }
        finally
        {
            File.Delete(trainFile);
        }
    }

    /// <summary>The examples, intents as article ids (banking77 has "reverted_card_payment?": other characters become '_').</summary>
    private static List<(string Text, string Intent)> ReadTsv(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            var tab = l.LastIndexOf('\t');
            return (l[..tab].Trim(), ArticleId(l[(tab + 1)..].Trim()));
        }).ToList();

    private static string ArticleId(string intent) => new(intent.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());

    /// <summary>Engine options after <c>--</c>.</summary>
    private static string[] ExtraArgs(string[] args) => Array.IndexOf(args, "--") is var i and >= 0 ? args[(i + 1)..] : [];

    private static string FindDataSet(string name)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", name);
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"--data: no shared/datasets/{name} above {Directory.GetCurrentDirectory()}; name the folder.");
    }
}
