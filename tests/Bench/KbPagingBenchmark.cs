using System.Diagnostics;
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
/// The KB editor's table over a generated KB (by default 10,000 articles with 5 phrasings each, Russian and English,
/// record types, topics, lines, some with slots) on the engine's SQLite default: imports it through the API, waits for
/// the classifier, then times pages of <c>GET /api/v1/kb/articles</c> over HTTP as the page asks for them: the first
/// page in each sort, paging through by cursor, search as you type, filters, and the phrasing check.
/// </summary>
public static class KbPagingBenchmark
{
    private const string AdminPassword = "bench-admin-password";
    private static readonly string[] Subjects = ["карта", "перевод", "вклад", "кредит", "ипотека", "кэшбэк", "card", "transfer", "deposit", "loan", "mortgage", "cashback"];
    private static readonly string[] Verbs = ["как оформить", "не работает", "сколько стоит", "где посмотреть", "how to open", "does not work", "how much is", "where to find"];

    public static async Task<int> RunAsync(string[] args)
    {
        var articles = PipelineBenchmark.IntArg(args, "--articles", 10_000);
        var pages = PipelineBenchmark.IntArg(args, "--pages", 40);
        var limit = PipelineBenchmark.IntArg(args, "--limit", 50);
        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-kb-paging-" + Guid.NewGuid().ToString("N"));
        string[] engineArgs =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Bootstrap:AdminPassword=" + AdminPassword,
            "--Jobs:Schedule=false", "--data-dir", dataDir, "--Limits:MaxKbImportBytes=209715200",
        ];
        await using var app = BotApp.Build(engineArgs);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(30) };
        var token = await (await http.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = AdminPassword })).Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!["token"]!.GetValue<string>());
        var knowledge = app.Services.GetRequiredService<KnowledgeRuntime>();

        // the machine is shared: the process's CPU seconds say what the work costs, the wall clock what it waited too
        var body = Generate(articles).ToJsonString();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var imported = await http.PostAsync("/api/v1/kb/import?replace=true", new StringContent(body, Encoding.UTF8, "application/json"));
        if (!imported.IsSuccessStatusCode)
            throw new InvalidOperationException($"The import was refused: {await imported.Content.ReadAsStringAsync()}");
        var importSeconds = clock.Elapsed.TotalSeconds;
        var cpu1 = Environment.CpuUsage.TotalTime;
        while (knowledge.Status.Revision != knowledge.Status.ClassifierRevision)
            await Task.Delay(500);
        var trainSeconds = clock.Elapsed.TotalSeconds - importSeconds;
        var cpu2 = Environment.CpuUsage.TotalTime;
        var peakMb = Environment.WorkingSet / 1048576;
        Console.Error.WriteLine($"imported {knowledge.Document.Articles.Count} articles in {importSeconds:0.0} s ({(cpu1 - cpu0).TotalSeconds:0.0} s CPU), classifier trained {trainSeconds:0.0} s later ({(cpu2 - cpu1).TotalSeconds:0.0} s CPU)");

        var result = new Dictionary<string, object>
        {
            ["storage"] = "sqlite",
            ["articles"] = knowledge.Document.Articles.Count,
            ["page_size"] = limit,
            ["import_s"] = Math.Round(importSeconds, 1),
            ["train_s"] = Math.Round(trainSeconds, 1),
            ["import_cpu_s"] = Math.Round((cpu1 - cpu0).TotalSeconds, 1),
            ["train_cpu_s"] = Math.Round((cpu2 - cpu1).TotalSeconds, 1),
            ["working_set_mb_after_training"] = peakMb,
        };
        // A first request warms the JIT and the caches; what a page costs afterwards is what an editor waits for.
        await GetAsync(http, $"/api/v1/kb/articles?limit={limit}");
        foreach (var sort in new[] { "id", "title", "-updated" })
            result[$"first_page_sort_{sort}_ms"] = await TimeAsync(5, () => GetAsync(http, $"/api/v1/kb/articles?limit={limit}&sort={sort}"));
        result["paging_by_cursor_ms"] = await PageThroughAsync(http, $"/api/v1/kb/articles?limit={limit}&sort=title", pages);
        // the whole table by cursor, sorted, without and with a search and a filter: the first, middle and last page
        result["walk_sort_title_ms"] = await WalkAsync(http, $"/api/v1/kb/articles?limit={limit}&sort=title");
        result["walk_search_filter_sort_ms"] = await WalkAsync(http, $"/api/v1/kb/articles?limit={limit}&q=card&language=en&sort=-updated");
        var typed = new[] { "к", "ка", "кар", "карт", "карта", "карта не", "карта не работ", "карта не работает" };
        result["search_as_typed_ms"] = await TimeEachAsync(typed.Select(q => $"/api/v1/kb/articles?limit={limit}&q={Uri.EscapeDataString(q)}").ToList());
        result["search_paging_ms"] = await PageThroughAsync(http, $"/api/v1/kb/articles?limit={limit}&q={Uri.EscapeDataString("how to open deposit")}", 10);
        result["search_typo_ms"] = await TimeAsync(5, () => GetAsync(http, $"/api/v1/kb/articles?limit={limit}&q={Uri.EscapeDataString("depposit")}"));
        result["filters_ms"] = await TimeAsync(5, () => GetAsync(http, $"/api/v1/kb/articles?limit={limit}&recordType=QA&language=en&topic=topic3&hasSlots=true&sort=-updated"));
        result["search_and_filters_ms"] = await TimeAsync(5, () => GetAsync(http, $"/api/v1/kb/articles?limit={limit}&q=card&line=cards&language=en"));
        result["phrasing_check_ms"] = await TimeAsync(5, () => PostAsync(http, "/api/v1/kb/phrasing-check",
            new { articleId = "a00001", questions = new[] { "как оформить карта 1", "new phrasing", "how to open card 7" } }));
        result["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
        // the pages' figures first: the quality hints' cross-validation may take long on a busy machine
        Console.WriteLine(JsonSerializer.Serialize(result));
        var quality = Stopwatch.StartNew();
        var qualityCpu = Environment.CpuUsage.TotalTime;
        var qualityLimit = TimeSpan.FromMinutes(PipelineBenchmark.IntArg(args, "--quality-minutes", 20));
        while ((await GetAsync(http, "/api/v1/kb/quality")).Contains("\"confusions\":\"computing\"", StringComparison.Ordinal) && quality.Elapsed < qualityLimit)
            await Task.Delay(500);
        result["quality_hints_s"] = Math.Round(quality.Elapsed.TotalSeconds, 1);
        result["quality_hints_cpu_s"] = Math.Round((Environment.CpuUsage.TotalTime - qualityCpu).TotalSeconds, 1);
        result["quality_hints_done"] = quality.Elapsed < qualityLimit;
        await app.StopAsync();
        Console.WriteLine(JsonSerializer.Serialize(result));
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
        return 0;

        async Task<object> TimeEachAsync(List<string> urls)
        {
            var times = new List<double>();
            foreach (var url in urls)
            {
                var c = Stopwatch.StartNew();
                await GetAsync(http, url);
                times.Add(c.Elapsed.TotalMilliseconds);
            }
            return Summary(times);
        }
    }

    /// <summary>Follows nextCursor for <paramref name="pages"/> pages; the time of each page.</summary>
    private static async Task<object> PageThroughAsync(HttpClient http, string first, int pages)
    {
        var times = new List<double>();
        var url = first;
        for (var i = 0; i < pages && url is not null; i++)
        {
            var c = Stopwatch.StartNew();
            var page = JsonNode.Parse(await GetAsync(http, url))!;
            times.Add(c.Elapsed.TotalMilliseconds);
            var cursor = page["nextCursor"]?.GetValue<string>();
            url = cursor is null ? null : first + "&cursor=" + Uri.EscapeDataString(cursor);
        }
        return Summary(times);
    }

    /// <summary>Follows nextCursor to the last page; the times of the first, the middle and the last page, and of all.</summary>
    private static async Task<object> WalkAsync(HttpClient http, string first)
    {
        var times = new List<double>();
        var url = first;
        while (url is not null)
        {
            var c = Stopwatch.StartNew();
            var page = JsonNode.Parse(await GetAsync(http, url))!;
            times.Add(c.Elapsed.TotalMilliseconds);
            var cursor = page["nextCursor"]?.GetValue<string>();
            url = cursor is null ? null : first + "&cursor=" + Uri.EscapeDataString(cursor);
        }
        var inOrder = times.ToList();
        return new { first = Math.Round(inOrder[0], 1), middle = Math.Round(inOrder[inOrder.Count / 2], 1), last = Math.Round(inOrder[^1], 1), all = Summary(times) };
    }

    private static async Task<object> TimeAsync(int runs, Func<Task<string>> request)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var c = Stopwatch.StartNew();
            await request();
            times.Add(c.Elapsed.TotalMilliseconds);
        }
        return Summary(times);
    }

    private static object Summary(List<double> times)
    {
        times.Sort();
        return new { pages = times.Count, median = Math.Round(times[times.Count / 2], 1), p95 = Math.Round(times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.95) - 1)], 1), max = Math.Round(times[^1], 1) };
    }

    private static async Task<string> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PostAsync(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Articles a00000...: a subject and five phrasings per article in its language, some with a slot. Each article
    /// names a product of its own (a made-up word), as a real KB's articles differ in what they are about: numbers
    /// alone would not do, the classifier reads every run of digits as the same token.
    /// </summary>
    private static JsonObject Generate(int count)
    {
        var items = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var subject = Subjects[i % Subjects.Length];
            var english = i % Subjects.Length >= 6;
            var verbs = Verbs.Where(v => char.IsAsciiLetter(v[0]) == english).ToArray();
            var product = ProductName(i, english);
            var questions = new JsonArray(Enumerable.Range(0, 5).Select(k => (JsonNode)(k == 4
                ? $"{product} {subject} {verbs[i % verbs.Length]}?"
                : $"{verbs[(i + k) % verbs.Length]} {subject} {product}")).ToArray());
            var article = new JsonObject
            {
                ["id"] = $"a{i:D5}",
                ["title"] = $"{(english ? "About" : "Про")} {subject} {product} {i}",
                ["recordType"] = i % 3 == 0 ? "KB" : "QA",
                ["questions"] = questions,
                ["topics"] = new JsonArray((JsonNode)$"topic{i % 10}"),
                ["access"] = new JsonObject { ["languages"] = new JsonArray((JsonNode)(english ? "en" : "ru")), ["lines"] = new JsonArray((JsonNode)(i % 2 == 0 ? "cards" : "loans")) },
                ["answers"] = new JsonArray(new JsonObject { ["text"] = $"Answer {i}: **{subject}**" }),
            };
            if (i % 7 == 0)
                article["slots"] = new JsonArray((JsonNode)"phone");
            items.Add(article);
        }
        return new JsonObject
        {
            ["recordTypes"] = new JsonArray(new JsonObject { ["id"] = "KB", ["name"] = "Reference" }, new JsonObject { ["id"] = "QA", ["name"] = "Answers" }),
            ["topics"] = new JsonArray(Enumerable.Range(0, 10).Select(k => (JsonNode)new JsonObject { ["id"] = $"topic{k}", ["name"] = $"Topic {k}" }).ToArray()),
            ["slots"] = new JsonArray(new JsonObject { ["id"] = "phone", ["name"] = "Phone", ["type"] = "phone", ["question"] = new JsonObject { ["text"] = "Your phone?" } }),
            ["articles"] = items,
        };
    }

    /// <summary>A made-up word unique to article <paramref name="i"/> (up to 20^4 articles), in Cyrillic or Latin letters.</summary>
    private static string ProductName(int i, bool english)
    {
        string[] syllables = english
            ? ["ka", "lo", "mi", "re", "su", "ta", "ve", "no", "pi", "zu", "ga", "de", "fo", "hu", "ji", "bra", "tri", "spo", "ple", "gru"]
            : ["ка", "ло", "ми", "ре", "су", "та", "ве", "но", "пи", "зу", "га", "де", "фо", "ху", "жи", "бра", "три", "спо", "пле", "гру"];
        var word = new StringBuilder();
        for (var n = i; word.Length == 0 || n > 0; n /= syllables.Length)
            word.Append(syllables[n % syllables.Length]);
        return word.ToString();
    }
}
