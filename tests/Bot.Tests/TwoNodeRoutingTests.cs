using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Two engines on one PostgreSQL database route at once while operators go online and offline and close
/// dialogs through either node, and clients keep asking for people on both. Afterwards the event history must
/// show no dialog held twice at a time and no operator over capacity, and the queue must hold nothing an
/// eligible operator could take. Then one node is stopped and the other takes over its queue.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class TwoNodeRoutingTests
{
    private const int Operators = 24;
    private const int Clients = 120;
    private const int TargetAssignments = 1000;

    [Fact]
    public async Task Two_nodes_share_the_queue_without_double_assignment_or_overload()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            var nodeA = await EngineHost.StartOnPostgresAsync(connectionString);
            await using var nodeB = await EngineHost.StartOnPostgresAsync(connectionString);
            var nodes = new[] { nodeA, nodeB };
            using var admin = nodeA.OperatorClient(await nodeA.OperatorTokenAsync());
            var operators = new List<(string Id, HttpClient[] Clients)>();
            for (var i = 0; i < Operators; i++)
            {
                var login = $"op{i:00}";
                await OperatorSteps.CreateOperatorAsync(admin, login, languages: [i % 3 == 0 ? "en" : "ru"], maxDialogs: 1 + i % 3);
                var token = await nodeA.OperatorTokenAsync(login, "password-" + login);
                var clients = nodes.Select(n => n.OperatorClient(token)).ToArray();
                operators.Add(((await clients[0].GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>(), clients));
            }

            var database = nodeA.Services.GetRequiredService<Database>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(150));
            var snapshotViolations = new ConcurrentBag<string>();
            var workers = new List<Task>();
            workers.AddRange(operators.Select((op, i) => OperatorLoopAsync(op.Id, op.Clients, new Random(i), stop.Token)));
            workers.AddRange(Enumerable.Range(0, Clients).Select(i => ClientLoopAsync(nodes[i % 2], i, stop.Token)));
            workers.Add(SnapshotLoopAsync(database, snapshotViolations, stop.Token));

            await Eventually.WaitAsync(async () =>
                await CountAssignmentsAsync(database) >= TargetAssignments || workers.Any(w => w.IsFaulted) ? true : null, TimeSpan.FromSeconds(140));
            await stop.CancelAsync();
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
            var failed = workers.Where(w => w.IsFaulted).SelectMany(w => w.Exception!.InnerExceptions).ToList();
            Assert.True(failed.Count == 0, string.Join(Environment.NewLine, failed.Take(3)));

            var history = await HistoryAsync(database);
            Assert.True(history.Assignments >= TargetAssignments, $"only {history.Assignments} assignments");
            Assert.Empty(history.DoubleAssignments);
            Assert.Empty(history.CapacityViolations);
            Assert.Empty(snapshotViolations);

            // Everyone online again; with churn stopped both nodes must leave nothing an eligible operator could take.
            foreach (var op in operators)
                await op.Clients[1].PostAsJsonAsync("/api/v1/operators/me/status", new { status = "offline" });
            foreach (var op in operators)
                await op.Clients[1].PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" });
            await Eventually.WaitAsync(async () => await TakeableAsync(database) == 0 ? true : null, TimeSpan.FromSeconds(20));

            // Node A stops; node B alone takes what arrives and what A left in the queue.
            foreach (var op in operators)
                await CloseAllAsync(op.Id, op.Clients[1], CancellationToken.None);
            await nodeA.DisposeAsync();
            database = nodeB.Services.GetRequiredService<Database>();
            using var late = await DirectLineClient.StartAsync(nodeB.BaseUri);
            await late.SendAsync("Позовите оператора", userId: "late-client");
            await Eventually.WaitAsync(async () => await TakeableAsync(database) == 0
                && await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE state IN ('assigned', 'active')"), CancellationToken.None) > 0
                    ? true : null, TimeSpan.FromSeconds(20));
        }
        finally
        {
            await drop();
        }
    }

    private static async Task OperatorLoopAsync(string operatorId, HttpClient[] viaNode, Random random, CancellationToken stop)
    {
        try
        {
            await viaNode[0].PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" }, stop);
            while (!stop.IsCancellationRequested)
            {
                var node = viaNode[random.Next(viaNode.Length)];
                if (random.NextDouble() < 0.03)
                {
                    // A short break: offline returns the dialogs to the queue.
                    await node.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "offline" }, stop);
                    await Task.Delay(random.Next(50, 300), stop);
                    await viaNode[random.Next(viaNode.Length)].PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" }, stop);
                }
                await CloseAllAsync(operatorId, node, stop);
                await Task.Delay(random.Next(20, 120), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task CloseAllAsync(string operatorId, HttpClient node, CancellationToken stop)
    {
        var held = (await node.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned,active&operatorId={operatorId}", stop))!;
        foreach (var dialog in held)
        {
            // The dialog may have moved on meanwhile (409) or to another operator (403): part of the game; anything else is a bug.
            var response = await node.PostAsJsonAsync($"/api/v1/dialogs/{dialog!["id"]}/close", new { topic = "load" }, stop);
            Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode is 409 or 403, $"close: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop)}");
        }
    }

    private static async Task ClientLoopAsync(EngineHost node, int index, CancellationToken stop)
    {
        try
        {
            using var chat = await DirectLineClient.StartAsync(node.BaseUri);
            var text = index % 3 == 0 ? "I need a human operator please" : "Позовите оператора";
            while (!stop.IsCancellationRequested)
            {
                await chat.SendAsync(text, userId: $"client-{index}");
                // Ask again once the operator has closed the dialog: a new dialog with the bot, then people again.
                await Task.Delay(400, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task SnapshotLoopAsync(Database database, ConcurrentBag<string> violations, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var over = await database.ReadAsync(c => c.QueryAsync<string>("""
                    SELECT o.login FROM operators o
                    WHERE (SELECT COUNT(*) FROM dialogs d WHERE d.operator_id = o.id AND d.state IN ('assigned', 'active')) > o.max_dialogs
                    """), stop);
                foreach (var login in over)
                    violations.Add(login);
                await Task.Delay(100, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Task<long> CountAssignmentsAsync(Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialog_events WHERE kind = 'assigned'"), CancellationToken.None);

    /// <summary>Queued dialogs that some online operator of their language with a free slot could take.</summary>
    private static Task<long> TakeableAsync(Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM dialogs d WHERE d.state = 'queued' AND EXISTS (
              SELECT 1 FROM operators o WHERE o.status = 'online' AND o.routing LIKE '%"' || d.language || '"%'
                AND (SELECT COUNT(*) FROM dialogs h WHERE h.operator_id = o.id AND h.state IN ('assigned', 'active')) < o.max_dialogs)
            """), CancellationToken.None);

    private static async Task<(int Assignments, List<string> DoubleAssignments, List<string> CapacityViolations)> HistoryAsync(Database database)
    {
        var events = (await database.ReadAsync(c => c.QueryAsync<(string DialogId, string Kind, string? OperatorId, long At)>(
            "SELECT dialog_id, kind, operator_id, at FROM dialog_events ORDER BY at"), CancellationToken.None)).AsList();
        var capacity = (await database.ReadAsync(c => c.QueryAsync<(string Id, long MaxDialogs)>("SELECT id, max_dialogs FROM operators"), CancellationToken.None))
            .ToDictionary(x => x.Id, x => x.MaxDialogs);
        var holder = new Dictionary<string, string>();
        var load = new Dictionary<string, long>();
        var doubles = new List<string>();
        var over = new List<string>();
        var assignments = 0;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case "assigned":
                    assignments++;
                    if (holder.ContainsKey(e.DialogId))
                        doubles.Add($"{e.DialogId} at {e.At}");
                    holder[e.DialogId] = e.OperatorId!;
                    load[e.OperatorId!] = load.GetValueOrDefault(e.OperatorId!) + 1;
                    if (load[e.OperatorId!] > capacity[e.OperatorId!])
                        over.Add($"{e.OperatorId} at {e.At}: {load[e.OperatorId!]}");
                    break;
                case "closed" or "requeued" or "detached" or "transferred":
                    if (holder.Remove(e.DialogId, out var previous))
                        load[previous]--;
                    break;
            }
        }
        return (assignments, doubles, over);
    }
}
