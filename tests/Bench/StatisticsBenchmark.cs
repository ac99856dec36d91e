using System.Diagnostics;
using System.Text.Json;
using BotEngine.Bot;
using BotEngine.Storage;
using BotEngine.Storage.History;
using BotEngine.Storage.Statistics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bench;

/// <summary>
/// Seeds a month of traffic (by default 100,000 dialogs with 1,000,000 messages: 40 % handed to 50 operators, all
/// but the last hour's closed, texts in Russian and English) straight into the engine's schema, then times the statistics queries over
/// the whole month and over one day, and history searches by text, each run several times.
/// </summary>
public static class StatisticsBenchmark
{
    private const int Operators = 50;
    private const int MessagesPerDialog = 10;
    // Dialogs still open: the last hour's or so (the idle timeout closes the rest within minutes in a running engine).
    private const int OpenDialogs = 200;
    // Seconds a seeding statement may take (a million rows into PostgreSQL's text search index take minutes).
    private const int SeedTimeout = 3600;
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    private static readonly string[] Texts =
    [
        "Как заблокировать карту?", "Не проходит платёж по карте", "Where is my transfer?", "Хочу открыть вклад",
        "My card payment was declined", "Какой лимит на снятие наличных?", "How do I change my PIN?", "Спасибо, всё понятно",
        "Проверяю, минуту", "Ваша карта разблокирована", "The payment is pending, please wait", "Перевод дойдёт в течение дня",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var dialogs = PipelineBenchmark.IntArg(args, "--dialogs", 100_000);
        var runs = PipelineBenchmark.IntArg(args, "--runs", 5);
        var postgres = PipelineBenchmark.StringArg(args, "--postgres");
        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-statistics-" + Guid.NewGuid().ToString("N"));
        var engineArgs = new List<string>
        {
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Bootstrap:AdminPassword=bench-admin-password", "--Jobs:Schedule=false",
        };
        engineArgs.AddRange(postgres is null ? ["--data-dir", dataDir] : ["--postgres", postgres]);
        await using var app = BotApp.Build(engineArgs.ToArray());
        await app.StartAsync();
        var database = app.Services.GetRequiredService<Database>();
        var end = DateTimeOffset.UtcNow;
        var start = end - Month;

        var seeding = Stopwatch.StartNew();
        await SeedAsync(database, dialogs, TimeExtensions.ToMicros(start));
        var seedSeconds = seeding.Elapsed.TotalSeconds;
        var messages = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages"), CancellationToken.None);
        Console.Error.WriteLine($"seeded {dialogs} dialogs and {messages} messages in {seedSeconds:0.0} s on {(postgres is null ? "SQLite" : "PostgreSQL")}");

        // The facts of closed dialogs, as the engine's background loop stores them a minute after each closing; timed
        // here for the whole month at once (what a database upgraded to this schema does on its first start).
        var statistics = app.Services.GetRequiredService<StatisticsStore>();
        var monthAll = new StatisticsFilter(TimeExtensions.ToMicros(start), TimeExtensions.ToMicros(end));
        var withoutFacts = await TimeAsync(1, () => statistics.SummaryAsync(monthAll, CancellationToken.None));
        var facting = Stopwatch.StartNew();
        while (await statistics.StoreFactsAsync(0, TimeExtensions.ToMicros(end), 5000, CancellationToken.None) > 0)
        {
        }
        var factsSeconds = facting.Elapsed.TotalSeconds;
        var history = app.Services.GetRequiredService<HistoryStore>();
        var month = new StatisticsFilter(TimeExtensions.ToMicros(start), TimeExtensions.ToMicros(end));
        var day = new StatisticsFilter(TimeExtensions.ToMicros(end - TimeSpan.FromDays(1)), TimeExtensions.ToMicros(end));
        var summary = await statistics.SummaryAsync(month, CancellationToken.None);
        var timings = new Dictionary<string, object>
        {
            ["summary_month_ms"] = await TimeAsync(runs, () => statistics.SummaryAsync(month, CancellationToken.None)),
            ["operators_month_ms"] = await TimeAsync(runs, () => statistics.OperatorsAsync(month, CancellationToken.None)),
            ["series_month_1d_ms"] = await TimeAsync(runs, () => statistics.SeriesAsync(month, TimeExtensions.ToMicros(DateTimeOffset.UnixEpoch.AddDays(1)), CancellationToken.None)),
            ["topics_month_ms"] = await TimeAsync(runs, () => statistics.BreakdownAsync(month, true, CancellationToken.None)),
            ["summary_day_ms"] = await TimeAsync(runs, () => statistics.SummaryAsync(day, CancellationToken.None)),
            ["operators_day_ms"] = await TimeAsync(runs, () => statistics.OperatorsAsync(day, CancellationToken.None)),
            ["history_text_month_ms"] = await TimeAsync(runs, () => history.SearchAsync(new HistoryFilter(month.From, month.To) { Text = "платежи по карте" }, CancellationToken.None)),
            ["history_rare_text_month_ms"] = await TimeAsync(runs, () => history.SearchAsync(new HistoryFilter(month.From, month.To) { Text = "dialog 4242" }, CancellationToken.None)),
            ["history_page_month_ms"] = await TimeAsync(runs, () => history.SearchAsync(new HistoryFilter(month.From, month.To), CancellationToken.None)),
        };
        await app.StopAsync();
        var result = new Dictionary<string, object>
        {
            ["storage"] = postgres is null ? "sqlite" : "postgres",
            ["dialogs"] = dialogs,
            ["messages"] = messages,
            ["seed_s"] = Math.Round(seedSeconds, 1),
            ["facts_s"] = Math.Round(factsSeconds, 1),
            ["summary_month_without_facts_ms"] = withoutFacts,
            ["check_dialogs"] = summary.Dialogs,
            ["check_handled_by_operators"] = summary.HandledByOperators,
            ["check_messages"] = summary.Messages,
        };
        foreach (var (key, value) in timings)
            result[key] = value;
        Console.WriteLine(JsonSerializer.Serialize(result));
        if (postgres is null)
        {
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>The median and the slowest of <paramref name="runs"/> runs, in milliseconds.</summary>
    private static async Task<object> TimeAsync<T>(int runs, Func<Task<T>> query)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await query();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return new { median = Math.Round(times[times.Count / 2], 1), max = Math.Round(times[^1], 1) };
    }

    /// <summary>
    /// Generates the rows in SQL (a number series joined to arithmetic), so a million messages take seconds, not a
    /// million round trips. Dialog i opens at an even spacing over the month; i % 10 &lt; 4 is handed to operator
    /// op(i % 50) 5 s after opening, assigned 10 s after; all but the last 200 are closed 300 s after opening; message j of a dialog
    /// comes 15 s after message j - 1, alternating client and bot (operator in handed dialogs).
    /// </summary>
    private static async Task SeedAsync(Database database, int dialogs, long start)
    {
        var spacing = TimeExtensions.ToMicros(DateTimeOffset.UnixEpoch + Month) / dialogs;
        var postgres = database.Dialect == SqlDialect.Postgres;
        string Numbers(long count) => postgres
            ? $"(SELECT generate_series(0, {count - 1}) AS i) n"
            : $"(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {count - 1}) SELECT i FROM s) n";
        var texts = string.Join(" ", Texts.Select((t, k) => $"WHEN {k} THEN '{t}'"));
        var p = new { start, spacing, openFrom = dialogs - OpenDialogs };
        await database.WriteAsync(async (c, t) =>
        {
            for (var i = 0; i < Operators; i++)
            {
                await c.ExecuteAsync("""
                    INSERT INTO operators (id, login, display_name, password_hash, permissions, max_dialogs, status, status_changed_at, created_at)
                    VALUES (@id, @id, @name, 'x', 'handle_dialogs', 3, 'offline', @start, @start)
                    """, new { id = $"op{i}", name = $"Оператор {i}", start }, t);
            }
            await c.ExecuteAsync($"""
                INSERT INTO clients (id, display_name, created_at)
                SELECT 'c' || n.i, 'Клиент ' || n.i, @start FROM {Numbers(dialogs)}
                """, p, t, commandTimeout: SeedTimeout);
            await c.ExecuteAsync($"""
                INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, operator_id, line, call_centre, opened_at, queued_at, assigned_at,
                                     closed_at, closed_by, close_topic, bot_state, last_message_at)
                SELECT 'd' || n.i, 'c' || n.i, 'conv' || n.i, CASE WHEN n.i % 3 = 0 THEN 'telegram' ELSE 'directline' END,
                       CASE WHEN n.i >= @openFrom THEN 'bot' ELSE 'closed' END, CASE WHEN n.i % 4 = 0 THEN 'en' ELSE 'ru' END,
                       CASE WHEN n.i % 10 < 4 THEN 'op' || (n.i % {Operators}) END, 'general', 'default',
                       @start + n.i * @spacing,
                       CASE WHEN n.i % 10 < 4 THEN @start + n.i * @spacing + 5000000 END,
                       CASE WHEN n.i % 10 < 4 THEN @start + n.i * @spacing + 10000000 END,
                       CASE WHEN n.i < @openFrom THEN @start + n.i * @spacing + 300000000 END,
                       CASE WHEN n.i >= @openFrom THEN NULL WHEN n.i % 10 < 4 THEN 'op' || (n.i % {Operators}) ELSE 'bot' END,
                       CASE WHEN n.i % 10 < 4 AND n.i < @openFrom THEN CASE n.i % 3 WHEN 0 THEN 'Платежи' WHEN 1 THEN 'Карты' ELSE 'Вклады' END END,
                       '{"{}"}', @start + n.i * @spacing + {(MessagesPerDialog - 1) * 15_000_000L}
                FROM {Numbers(dialogs)}
                """, p, t, commandTimeout: SeedTimeout);
            await c.ExecuteAsync($"INSERT INTO dialog_events (dialog_id, kind, at) SELECT 'd' || n.i, 'opened', @start + n.i * @spacing FROM {Numbers(dialogs)}", p, t, commandTimeout: SeedTimeout);
            await c.ExecuteAsync($"""
                INSERT INTO dialog_events (dialog_id, kind, at) SELECT 'd' || n.i, 'queued', @start + n.i * @spacing + 5000000 FROM {Numbers(dialogs)} WHERE n.i % 10 < 4
                """, p, t, commandTimeout: SeedTimeout);
            await c.ExecuteAsync($"""
                INSERT INTO dialog_events (dialog_id, kind, operator_id, at)
                SELECT 'd' || n.i, 'assigned', 'op' || (n.i % {Operators}), @start + n.i * @spacing + 10000000 FROM {Numbers(dialogs)} WHERE n.i % 10 < 4
                """, p, t, commandTimeout: SeedTimeout);
            await c.ExecuteAsync($"""
                INSERT INTO dialog_events (dialog_id, kind, operator_id, at)
                SELECT 'd' || n.i, 'closed', CASE WHEN n.i % 10 < 4 THEN 'op' || (n.i % {Operators}) END, @start + n.i * @spacing + 300000000
                FROM {Numbers(dialogs)} WHERE n.i < @openFrom
                """, p, t, commandTimeout: SeedTimeout);
            // Message m belongs to dialog m / 10 and is its (m % 10)-th; the text names the dialog so a rare search finds one.
            await c.ExecuteAsync($"""
                INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, created_at, processed_at)
                SELECT 'm' || n.i, 'd' || (n.i / {MessagesPerDialog}), 'conv' || (n.i / {MessagesPerDialog}), 'directline', n.i % {MessagesPerDialog},
                       CASE WHEN n.i % 2 = 0 THEN 'in' ELSE 'out' END,
                       CASE WHEN n.i % 2 = 0 THEN 'client' WHEN (n.i / {MessagesPerDialog}) % 10 < 4 AND n.i % {MessagesPerDialog} > 1 THEN 'operator' ELSE 'bot' END,
                       CASE WHEN n.i % 2 = 1 AND (n.i / {MessagesPerDialog}) % 10 < 4 AND n.i % {MessagesPerDialog} > 1 THEN 'op' || ((n.i / {MessagesPerDialog}) % {Operators}) END,
                       CASE n.i % {Texts.Length} {texts} END || CASE WHEN n.i % {MessagesPerDialog} = 0 THEN ' (dialog ' || (n.i / {MessagesPerDialog}) || ')' ELSE '' END,
                       '{"{}"}', @start + (n.i / {MessagesPerDialog}) * @spacing + (n.i % {MessagesPerDialog}) * 15000000, @start
                FROM {Numbers((long)dialogs * MessagesPerDialog)}
                """, p, t, commandTimeout: SeedTimeout);
        }, CancellationToken.None);
        // Fresh statistics for the planners, as autovacuum (PostgreSQL) or a long-running engine would have.
        await database.WriteAsync((c, t) => c.ExecuteAsync("ANALYZE", transaction: t, commandTimeout: SeedTimeout, commandType: System.Data.CommandType.Text), CancellationToken.None);
    }
}
