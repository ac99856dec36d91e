using System.Diagnostics;
using System.Text.Json;
using BotEngine.Bot;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bench;

/// <summary>
/// Drains a queue of dialogs with mixed languages, lines and skills onto operators through the engine's own
/// routing pass (the one the host runs), then checks the stored result for double assignments and overload.
/// </summary>
public static class RoutingBenchmark
{
    private static readonly string[] Languages = ["ru", "en"];
    private static readonly string[] Lines = ["cards", "loans", "general"];
    private static readonly string[] Skills = ["vip", "fraud"];

    public static async Task<int> RunAsync(string[] args)
    {
        var dialogs = PipelineBenchmark.IntArg(args, "--dialogs", 10_000);
        var operators = PipelineBenchmark.IntArg(args, "--operators", 1_000);
        var postgres = PipelineBenchmark.StringArg(args, "--postgres");
        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-routing-" + Guid.NewGuid().ToString("N"));
        var engineArgs = new List<string> { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Bootstrap:AdminPassword=bench-admin-password" };
        engineArgs.AddRange(postgres is null ? ["--data-dir", dataDir] : ["--postgres", postgres]);
        await using var app = BotApp.Build(engineArgs.ToArray());
        await app.StartAsync();
        var database = app.Services.GetRequiredService<Database>();
        var capacityEach = (int)Math.Ceiling(dialogs / (double)operators);
        var random = new Random(42);
        await SeedAsync(database, dialogs, operators, capacityEach, random);
        Console.Error.WriteLine($"seeded {dialogs} queued dialogs and {operators} operators (capacity {capacityEach} each) on {(postgres is null ? "SQLite" : "PostgreSQL")}");

        var pass = app.Services.GetRequiredService<RoutingPass>();
        var perAssignment = new List<double>();
        var clock = Stopwatch.StartNew();
        var passes = 0;
        while (true)
        {
            var assigned = await pass.RunAsync(CancellationToken.None);
            passes++;
            perAssignment.AddRange(assigned.Select(a => a.ElapsedTicks * 1_000_000.0 / Stopwatch.Frequency));
            if (assigned.Count == 0)
                break;
        }
        var drain = clock.Elapsed.TotalSeconds;
        // The engine's own routing loop may take a pass in between: count assignments from the stored events.
        var assignedTotal = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialog_events WHERE kind = 'assigned'"), CancellationToken.None);
        var left = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE state = 'queued'"), CancellationToken.None);
        var doubles = await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT dialog_id FROM dialog_events WHERE kind = 'assigned' GROUP BY dialog_id HAVING COUNT(*) > 1) x"), CancellationToken.None);
        var over = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM operators o
            WHERE (SELECT COUNT(*) FROM dialogs d WHERE d.operator_id = o.id AND d.state IN ('assigned', 'active')) > o.max_dialogs
            """), CancellationToken.None);
        await app.StopAsync();
        var sorted = perAssignment.Order().ToArray();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            storage = postgres is null ? "sqlite" : "postgres",
            dialogs,
            operators,
            passes,
            assigned = assignedTotal,
            left_in_queue = left,
            drain_s = Math.Round(drain, 2),
            assign_us_p50 = Math.Round(Percentile(sorted, 0.50), 1),
            assign_us_p99 = Math.Round(Percentile(sorted, 0.99), 1),
            double_assignments = doubles,
            capacity_violations = over,
        }));
        if (postgres is null)
        {
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>Operators cover every language and line; each dialog asks for one of each and sometimes a skill some operators have.</summary>
    private static Task SeedAsync(Database database, int dialogs, int operators, int capacityEach, Random random) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = TimeExtensions.ToMicros(DateTimeOffset.UtcNow);
            for (var i = 0; i < operators; i++)
            {
                var profile = RoutingProfile.Create(
                    languages: [Languages[i % 2]],
                    lines: [Lines[(i / 2) % 3], Lines[(i / 6) % 3]],
                    skills: i % 5 == 0 ? Skills : i % 5 == 1 ? [Skills[0]] : [],
                    maxConcurrentDialogs: capacityEach);
                await c.ExecuteAsync("""
                    INSERT INTO operators (id, login, display_name, password_hash, permissions, max_dialogs, status, status_changed_at, created_at, routing, idle_since)
                    VALUES (@id, @login, @login, 'x', 'view_client', @capacityEach, 'online', @now, @now, @routing, @now)
                    """, new { id = $"op{i:0000}", login = $"op{i:0000}", capacityEach, now, routing = JsonSerializer.Serialize(profile, HandoffStore.Json) }, t);
            }
            for (var i = 0; i < dialogs; i++)
            {
                var language = Languages[random.Next(2)];
                var line = Lines[random.Next(3)];
                var skills = random.NextDouble() < 0.1 ? new[] { Skills[0] } : [];
                var requirements = RoutingRequirements.Create(callCentre: CallCentres.Default, language: language, line: line, skills: skills);
                var id = $"d{i:000000}";
                var conversation = $"conv{i:000000}";
                var queuedAt = now - (dialogs - i) * 10L;
                await c.ExecuteAsync("INSERT INTO conversations (id, channel, created_at) VALUES (@conversation, 'directline', @now)", new { conversation, now }, t);
                await c.ExecuteAsync("""
                    INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, line, call_centre, opened_at, queued_at, bot_state, last_message_at, handoff)
                    VALUES (@id, @client, @conversation, 'directline', 'queued', @language, @line, 'default', @queuedAt, @queuedAt, '{}', @queuedAt, @handoff)
                    """, new { id, client = $"c{i:000000}", conversation, language, line, queuedAt,
                    handoff = JsonSerializer.Serialize(new { requirements }, HandoffStore.Json) }, t);
            }
        }, CancellationToken.None);

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
