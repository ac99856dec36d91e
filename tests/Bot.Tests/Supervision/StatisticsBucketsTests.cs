using BotEngine.Storage;
using BotEngine.Storage.Statistics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// The statistics buckets against a recomputation: a scripted mix of dialogs (the bot alone, timeouts, queued and left,
/// operators with transfers, open ones; three channels, two call centres and lines, openings off the quarter hour) is
/// stored, and every figure of <see cref="StatisticsStore"/> is compared with the same figure computed here from the
/// scripted dialogs, before any facts, with some, with all, after a client is marked as test once its dialogs are in
/// the buckets and after the mark is lifted, for aligned, unaligned and sub-quarter-hour periods and with filters. The
/// buckets kept as facts were stored are also compared with migration 026's backfill from the same facts.
/// </summary>
public sealed class StatisticsBucketsTests
{
    private const long Second = 1_000_000;
    private const long Minute = 60 * Second;
    // Monday 2026-11-30 08:00 UTC, in storage microseconds.
    private static readonly long Base = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
    private static readonly string[] Operators = ["op1", "op2", "op3", "op4"];

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Buckets_agree_with_a_recomputation_from_the_dialogs(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);
            await migrator.MigrateAsync(CancellationToken.None);
            var dialogs = Script();
            await SeedAsync(database, dialogs);
            var store = new StatisticsStore(database);
            var test = new HashSet<string>();

            await AssertAllFiguresAsync(store, dialogs, test, "no facts");
            // Facts (and buckets) for the dialogs closed in the first two hours; the rest still computed from messages.
            Assert.True(await store.StoreFactsAsync(0, Base + 120 * Minute, 1000, CancellationToken.None) > 0);
            await AssertAllFiguresAsync(store, dialogs, test, "some facts");
            await store.StoreFactsAsync(0, long.MaxValue, 1000, CancellationToken.None);
            Assert.Equal(0, await store.StoreFactsAsync(0, long.MaxValue, 1000, CancellationToken.None));
            await AssertAllFiguresAsync(store, dialogs, test, "all facts");

            // A client marked as test after their dialogs went into the buckets is left out all the same.
            await database.WriteAsync((c, t) => c.ExecuteAsync(
                "INSERT INTO test_clients (client_id, marked_by, marked_at) VALUES ('c3', 'admin', 0), ('c7', 'admin', 0)", transaction: t), CancellationToken.None);
            test.UnionWith(["c3", "c7"]);
            await AssertAllFiguresAsync(store, dialogs, test, "test clients");

            // The buckets are what migration 026 computes from the stored facts: drop them and run it again.
            var kept = await BucketRowsAsync(database);
            await database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("DROP TABLE statistics_buckets", transaction: t);
                await c.ExecuteAsync("DROP TABLE statistics_topic_buckets", transaction: t);
                await c.ExecuteAsync("DROP TABLE statistics_operator_buckets", transaction: t);
                await c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 26", transaction: t);
            }, CancellationToken.None);
            await migrator.MigrateAsync(CancellationToken.None);
            Assert.Equal(kept, await BucketRowsAsync(database));
            Assert.True(kept.Count > 100, $"only {kept.Count} bucket rows");

            await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM test_clients WHERE client_id = 'c3'", transaction: t), CancellationToken.None);
            test.Remove("c3");
            await AssertAllFiguresAsync(store, dialogs, test, "c3 no longer a test client");
        });
    }

    private static async Task AssertAllFiguresAsync(StatisticsStore store, List<ScriptedDialog> dialogs, HashSet<string> test, string stage)
    {
        var periods = new[]
        {
            new StatisticsFilter(Base - 60 * Minute, Base + 360 * Minute),
            new StatisticsFilter(Base + 7 * Minute + 13 * Second + 5, Base + 182 * Minute + 41 * Second),
            new StatisticsFilter(Base + 20 * Minute + 1, Base + 28 * Minute),
            new StatisticsFilter(Base + 15 * Minute, Base + 150 * Minute, Channel: "telegram"),
            new StatisticsFilter(Base + 3 * Minute, Base + 240 * Minute, CallCentre: "cc1", Line: "vip"),
            new StatisticsFilter(Base + 44 * Minute, Base + 239 * Minute, Line: "general"),
        };
        foreach (var filter in periods)
        {
            var label = $"{stage}, {filter}";
            var scope = dialogs.Where(d => d.OpenedAt >= filter.From && d.OpenedAt < filter.To && !test.Contains(d.Client)
                && (filter.CallCentre is null || d.CallCentre == filter.CallCentre) && (filter.Line is null || d.Line == filter.Line)
                && (filter.Channel is null || d.Channel == filter.Channel)).ToList();
            Assert.True(scope.Count > 0, label);
            AssertSummary(scope, await store.SummaryAsync(filter, CancellationToken.None), label);
            AssertOperators(scope, await store.OperatorsAsync(filter, CancellationToken.None), label);
            foreach (var step in new[] { 15 * Minute, 60 * Minute, 24 * 60 * Minute })
            {
                var expected = scope.GroupBy(d => ((d.OpenedAt - filter.From) / step).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .ToDictionary(g => g.Key, g => (g.LongCount(), g.LongCount(d => d.Assignments > 0)));
                var actual = (await store.SeriesAsync(filter, step, CancellationToken.None)).ToDictionary(r => r.Key, r => (r.Dialogs, r.HandledByOperators));
                Assert.True(expected.OrderBy(e => e.Key).SequenceEqual(actual.OrderBy(a => a.Key)), $"series by {step / Minute} min, {label}");
            }
            AssertBreakdown(scope.GroupBy(d => d.Channel), await store.BreakdownAsync(filter, false, CancellationToken.None), "channels, " + label);
            AssertBreakdown(scope.GroupBy(d => d.Topic ?? ""), await store.BreakdownAsync(filter, true, CancellationToken.None), "topics, " + label);
        }
    }

    private static void AssertSummary(List<ScriptedDialog> scope, StatisticsSummaryRow s, string label)
    {
        var closed = scope.Where(d => d.ClosedAt is not null).ToList();
        var answered = scope.Where(d => d.QueuedAt is not null && d.FirstReplyAt is not null).ToList();
        var pairs = scope.SelectMany(d => d.Pairs).ToList();
        Assert.Equal(
            new long[]
            {
             scope.Count, scope.Count(d => d.Assignments == 0 && d.QueuedAt is null), scope.Count(d => d.Assignments > 0),
             scope.Count(d => d.Assignments == 0 && d.QueuedAt is not null), closed.Count, scope.Count(d => d.ClosedBy == "bot"),
             scope.Count(d => d.ClosedBy is "clienttimeout" or "idle"), closed.Count(d => d.ClosedBy is not ("bot" or "clienttimeout" or "idle")),
             pairs.Count, scope.Sum(d => d.Messages.Count), scope.Sum(d => d.Messages.Count(m => m.Author == "client")),
             scope.Sum(d => d.Messages.Count(m => m.Author == "bot")), scope.Sum(d => d.Messages.Count(m => m.Author == "operator")),
            },
            new[] { s.Dialogs, s.HandledByBotOnly, s.HandledByOperators, s.QueuedNeverAssigned, s.Closed, s.ClosedByBot, s.ClosedByTimeout,
                    s.ClosedByOperators, s.QuestionAnswerPairs, s.Messages, s.ClientMessages, s.BotMessages, s.OperatorMessages });
        AssertAverage(closed.Select(d => d.ClosedAt!.Value - d.OpenedAt), s.AvgCloseMicros, "close, " + label);
        AssertAverage(answered.Select(d => d.FirstReplyAt!.Value - d.QueuedAt!.Value), s.AvgFirstResponseMicros, "first response, " + label);
        AssertAverage(pairs.Select(p => p.Delay), s.AvgResponseMicros, "response, " + label);
    }

    private static void AssertOperators(List<ScriptedDialog> scope, List<OperatorStatisticsRow> rows, string label)
    {
        Assert.Equal(Operators, rows.Select(r => r.OperatorId));
        foreach (var row in rows)
        {
            var id = row.OperatorId;
            var written = scope.SelectMany(d => d.Messages.Where(m => m.Author == "operator" && m.AuthorId == id)).ToList();
            var withText = written.Where(m => !string.IsNullOrEmpty(m.Text)).ToList();
            var pairs = scope.SelectMany(d => d.Pairs.Where(p => p.OperatorId == id)).ToList();
            var closes = scope.Where(d => d.ClosedAt is not null && d.ClosedBy == id).ToList();
            Assert.True(
                new long[] { scope.Count(d => d.AssignedTo.Contains(id)), written.Count, pairs.Count, closes.Count }
                    .SequenceEqual([row.Dialogs, row.Messages, row.QuestionAnswerPairs, row.Closed]),
                $"{id}: {row}, {label}");
            AssertAverage(closes.Where(d => d.AssignedAt is not null).Select(d => d.ClosedAt!.Value - d.AssignedAt!.Value), row.AvgCloseMicros, $"{id} close, {label}");
            AssertAverage(pairs.Select(p => p.Delay), row.AvgResponseMicros, $"{id} response, {label}");
            AssertAverage(withText.Select(m => (long)m.Text!.Length), row.AvgMessageLength, $"{id} length, {label}");
        }
    }

    private static void AssertBreakdown(IEnumerable<IGrouping<string, ScriptedDialog>> expected, List<CountRow> actual, string label) =>
        Assert.True(
            expected.Select(g => (g.Key, (long)g.Count(), (long)g.Count(d => d.Assignments > 0))).OrderByDescending(e => e.Item2).ThenBy(e => e.Key, StringComparer.Ordinal)
                .SequenceEqual(actual.Select(r => (r.Key, r.Dialogs, r.HandledByOperators))),
            $"{label}: {string.Join("; ", actual)}");

    private static void AssertAverage(IEnumerable<long> values, double? actual, string label)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            Assert.True(actual is null, $"{label}: {actual} where nothing to average");
            return;
        }
        var expected = (double)list.Sum() / list.Count;
        Assert.True(actual is { } a && Math.Abs(a - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{label}: expected {expected}, got {actual}");
    }

    /// <summary>Every row of the three bucket tables, as text, in key order.</summary>
    private static async Task<List<string>> BucketRowsAsync(Database database) =>
        await database.ReadAsync(async c =>
        {
            var rows = new List<string>();
            foreach (var table in new[] { "statistics_buckets", "statistics_topic_buckets", "statistics_operator_buckets" })
            {
                var read = await c.QueryAsync(
                    $"SELECT * FROM {table} ORDER BY bucket_start, call_centre, line, channel, {(table == "statistics_buckets" ? "1" : table == "statistics_topic_buckets" ? "topic" : "operator_id")}");
                rows.AddRange(read.Select(r => table + ": " + string.Join(",", ((IDictionary<string, object>)r).Select(kv => $"{kv.Key}={kv.Value}"))));
            }
            return rows;
        }, CancellationToken.None);

    /// <summary>A scripted dialog and what the statistics should make of it.</summary>
    private sealed record ScriptedDialog(string Id, string Client, string Channel, string? CallCentre, string? Line, long OpenedAt)
    {
        public long? ClosedAt { get; set; }
        public string? ClosedBy { get; set; }
        public string? Topic { get; set; }
        public List<(string Kind, string? OperatorId, long At)> Events { get; } = [];
        public List<(string Author, string? AuthorId, string? Text, long At)> Messages { get; } = [];
        public long? QueuedAt => Events.Where(e => e.Kind == "queued").Select(e => (long?)e.At).Min();
        public long? AssignedAt => Events.Where(e => e.Kind == "assigned").Select(e => (long?)e.At).LastOrDefault();
        public int Assignments => Events.Count(e => e.Kind == "assigned");
        public IEnumerable<string?> AssignedTo => Events.Where(e => e.Kind == "assigned").Select(e => e.OperatorId);
        public long? FirstReplyAt => Messages.Where(m => m.Author == "operator").Select(m => (long?)m.At).Min();

        /// <summary>Operator messages right after a client message (among client and operator messages), with the delay.</summary>
        public IEnumerable<(string? OperatorId, long Delay)> Pairs =>
            Messages.Where(m => m.Author is "client" or "operator").Zip(Messages.Where(m => m.Author is "client" or "operator").Skip(1))
                .Where(p => p.First.Author == "client" && p.Second.Author == "operator")
                .Select(p => (p.Second.AuthorId, p.Second.At - p.First.At));
    }

    /// <summary>
    /// 150 dialogs over four hours from 08:00 with openings at odd seconds: the bot alone (closed by it, by idle, or
    /// open), queued and left, one operator, a transfer between two, operators' files (no text) and empty texts.
    /// </summary>
    private static List<ScriptedDialog> Script()
    {
        var random = new Random(15);
        var channels = new[] { "directline", "telegram", "email" };
        var centres = new string?[] { "cc1", "cc2", null };
        var lines = new string?[] { "general", "vip", null };
        var topics = new string?[] { "Платежи", "Карты", null };
        var texts = new[] { "Здравствуйте", "Не проходит платёж по карте", "Проверяю, минуту", "OK", "Ваша карта разблокирована, всё готово" };
        var dialogs = new List<ScriptedDialog>();
        for (var i = 0; i < 150; i++)
        {
            var d = new ScriptedDialog($"d{i:000}", $"c{i % 11}", channels[random.Next(3)], centres[random.Next(3)], lines[random.Next(3)],
                Base + random.Next(0, 4 * 3600) * Second + random.Next(0, 1000));
            dialogs.Add(d);
            var at = d.OpenedAt;
            void Say(string author, string? authorId, bool file = false)
            {
                at += random.Next(1, 120) * Second + random.Next(0, 1000);
                d.Messages.Add((author, authorId, file ? null : author == "operator" && random.Next(8) == 0 ? "" : texts[random.Next(texts.Length)], at));
            }
            d.Events.Add(("opened", null, d.OpenedAt));
            Say("client", null);
            Say("bot", null);
            var kind = i % 7;
            if (kind is 0 or 1)
            {
                Say("client", null);
                Say("bot", null);
                (d.ClosedAt, d.ClosedBy) = (at + 5 * Second, kind == 0 ? "bot" : "idle");
            }
            else if (kind == 2)
            {
                d.Events.Add(("queued", null, at + Second));
                if (random.Next(2) == 0)
                    d.Events.Add(("queued", null, at + 90 * Second));
                (d.ClosedAt, d.ClosedBy) = (at + 300 * Second, "clienttimeout");
            }
            else if (kind is 3 or 4 or 5)
            {
                var first = Operators[random.Next(Operators.Length)];
                d.Events.Add(("queued", null, at + Second));
                at += random.Next(5, 200) * Second;
                d.Events.Add(("assigned", first, at));
                Say("operator", first);
                Say("client", null);
                Say("operator", first, file: random.Next(4) == 0);
                var last = first;
                if (kind == 4)
                {
                    last = Operators[(Array.IndexOf(Operators, first) + 1 + random.Next(Operators.Length - 1)) % Operators.Length];
                    d.Events.Add(("transferred", first, at + Second));
                    at += 30 * Second;
                    d.Events.Add(("assigned", last, at));
                    Say("client", null);
                    Say("client", null);
                    Say("operator", last);
                }
                if (kind != 5 || i % 2 == 0)
                {
                    (d.ClosedAt, d.ClosedBy) = (at + random.Next(1, 100) * Second, random.Next(5) == 0 ? "idle" : last);
                    d.Topic = topics[random.Next(3)];
                }
            }
            // kind 6: the bot's dialog still open.
            if (d.ClosedAt is { } closed)
                d.Events.Add(("closed", d.ClosedBy is "bot" or "idle" or "clienttimeout" ? null : d.ClosedBy, closed));
        }
        return dialogs;
    }

    private static async Task SeedAsync(Database database, List<ScriptedDialog> dialogs) =>
        await database.WriteAsync(async (c, t) =>
        {
            foreach (var id in Operators)
            {
                await c.ExecuteAsync("""
                    INSERT INTO operators (id, login, display_name, password_hash, permissions, max_dialogs, status, status_changed_at, created_at)
                    VALUES (@id, @id, @name, 'x', 'handle_dialogs', 3, 'offline', 0, 0)
                    """, new { id, name = "Оператор " + id }, t);
            }
            await c.ExecuteAsync("INSERT INTO clients (id, display_name, created_at) VALUES (@id, @id, 0)",
                dialogs.Select(d => d.Client).Distinct().Select(id => new { id }), t);
            await c.ExecuteAsync("""
                INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, operator_id, line, call_centre, opened_at, queued_at,
                                     assigned_at, closed_at, closed_by, close_topic, bot_state, last_message_at)
                VALUES (@Id, @Client, @Id, @Channel, @State, 'ru', @OperatorId, @Line, @CallCentre, @OpenedAt, @QueuedAt, @AssignedAt, @ClosedAt,
                        @ClosedBy, @Topic, '{}', @LastAt)
                """, dialogs.Select(d => new
            {
                d.Id, d.Client, d.Channel, State = d.ClosedAt is null ? d.Assignments > 0 ? "assigned" : "bot" : "closed",
                OperatorId = d.AssignedTo.LastOrDefault(), d.Line, d.CallCentre, d.OpenedAt, d.QueuedAt, d.AssignedAt, d.ClosedAt, d.ClosedBy, d.Topic,
                LastAt = d.Messages[^1].At,
            }), t);
            await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, operator_id, at) VALUES (@DialogId, @Kind, @OperatorId, @At)",
                dialogs.SelectMany(d => d.Events.Select(e => new { DialogId = d.Id, e.Kind, e.OperatorId, e.At })), t);
            await c.ExecuteAsync("""
                INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, created_at, processed_at)
                VALUES (@Id, @DialogId, @DialogId, @Channel, @Seq, @Direction, @Author, @AuthorId, @Text, '{}', @At, @At)
                """, dialogs.SelectMany(d => d.Messages.Select((m, k) => new
            {
                Id = $"{d.Id}-m{k}", DialogId = d.Id, d.Channel, Seq = (long)k, Direction = m.Author == "client" ? "in" : "out",
                m.Author, m.AuthorId, m.Text, m.At,
            })), t);
        }, CancellationToken.None);
}
