using System.Data.Common;
using BotEngine.Bot.Conversation;
using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Storage;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Bot.Routing;

/// <summary>Wakes the routing loop; many requests before it runs coalesce into one pass.</summary>
public sealed class AssignmentSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Request()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

public sealed record RoutedAssignment(string DialogId, string OperatorId, long ElapsedTicks);

/// <summary>
/// One routing pass: reads the queue and the operators, lets the routing core decide, and writes the
/// assignments, all under one lock (the SQLite writer, or a PostgreSQL advisory lock), so no dialog is assigned
/// twice and no operator goes over capacity even with several nodes routing at once.
/// </summary>
public sealed class RoutingPass(
    Database database,
    Router router,
    DialogActions actions,
    DialogTimers timers,
    OutboundWriter writer,
    OutboxDispatcher outbox,
    SystemTexts texts,
    ChangeFeed feed,
    TimeProvider time)
{
    private const long RoutingLock = 7302;
    private const int SqlitePassLimit = 2_000;

    /// <summary>Assignments written per batch: two round trips each on PostgreSQL.</summary>
    private const int ChunkSize = 500;

    /// <summary>
    /// How many assignments one pass writes. On SQLite a pass holds the only writer, so it is bounded and the loop
    /// runs another at once; PostgreSQL's other writers are not held up by it, so one pass takes all it can.
    /// </summary>
    public int Limit => database.Dialect == SqlDialect.Sqlite ? SqlitePassLimit : int.MaxValue;

    /// <summary>Serialises routing decisions across nodes (SQLite's single writer already does on one node).</summary>
    public static async Task LockAsync(Database database, DbConnection c, DbTransaction t)
    {
        if (database.Dialect == SqlDialect.Postgres)
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@RoutingLock)", new { RoutingLock }, t);
    }

    public async Task<IReadOnlyList<RoutedAssignment>> RunAsync(CancellationToken cancellationToken)
    {
        var (assigned, sent) = await database.WriteAsync(async (c, t) =>
        {
            await LockAsync(database, c, t);
            var queuedRows = (await c.QueryAsync<DialogRow>("SELECT * FROM dialogs WHERE state = 'queued'", transaction: t))
                .ToDictionary(r => r.Id, StringComparer.Ordinal);
            if (queuedRows.Count == 0)
                return ([], new List<MessageRow>());

            var operatorRows = (await c.QueryAsync<OperatorRow>("SELECT * FROM operators WHERE status = 'online'", transaction: t)).AsList();
            if (operatorRows.Count == 0)
                return ([], new List<MessageRow>());
            var load = (await c.QueryAsync<(string OperatorId, long Count)>(
                "SELECT operator_id, COUNT(*) FROM dialogs WHERE state IN ('assigned', 'active') AND operator_id IS NOT NULL GROUP BY operator_id",
                transaction: t)).ToDictionary(x => x.OperatorId, x => (int)x.Count, StringComparer.Ordinal);
            var snapshots = operatorRows.Select(o => new OperatorSnapshot(o.Id, HandoffStore.Status(o), HandoffStore.Routing(o),
                load.GetValueOrDefault(o.Id), TimeExtensions.FromMicros(o.IdleSince ?? o.StatusChangedAt))).ToList();
            var names = operatorRows.ToDictionary(o => o.Id, o => o.DisplayName, StringComparer.Ordinal);
            // Read first, then take the time: whatever this pass saw happened before the times it records.
            var now = time.GetUtcNow();

            var dialogs = queuedRows.Values.ToDictionary(r => r.Id, HandoffStore.ToDialog, StringComparer.Ordinal);
            var queue = new QueueSnapshot(dialogs.Values.Select(d => d.ToQueued()).OfType<QueuedDialog>().ToList());
            var decision = router.Route(queue, snapshots, now);

            var results = new List<RoutedAssignment>(decision.Assignments.Count);
            var sentMessages = new List<MessageRow>();
            var settings = new Dictionary<string, CallCentreSettings>(StringComparer.Ordinal);
            foreach (var callCentre in queuedRows.Values.Select(r => r.CallCentre ?? CallCentres.Default).Distinct(StringComparer.Ordinal))
                settings[callCentre] = await HandoffStore.SettingsAsync(c, t, callCentre);
            var nowMicros = TimeExtensions.ToMicros(now);
            // A full pass leaves the rest to the next one, which the loop runs at once (see Limit).
            foreach (var chunk in decision.Assignments.Take(Limit).Chunk(ChunkSize))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var saves = SqlBatch.For(c);
                var candidates = new List<(Assignment Assignment, Dialog Dialog, int Saved)>(chunk.Length);
                foreach (var assignment in chunk)
                {
                    var transition = actions.Assign(dialogs[assignment.DialogId], assignment);
                    if (transition.IsSuccess)
                        candidates.Add((assignment, transition.Value.Dialog, HandoffStore.AddSave(saves, transition.Value, queuedRows[assignment.DialogId].Version)));
                }
                var affected = await saves.ExecuteAsync(c, t, cancellationToken);

                // What follows an assignment: the client's notice, the operator's response timer, the operator's idle time.
                var effects = SqlBatch.For(c);
                var notQuiet = new List<DialogRow>();
                var assignedNow = new List<string>();
                foreach (var (assignment, assigned, saved) in candidates)
                {
                    if (!HandoffStore.IsSaved(affected, saved))
                        continue;
                    var current = queuedRows[assignment.DialogId] with
                    {
                        State = DialogStates.Assigned,
                        OperatorId = assigned.OperatorId,
                        AssignedAt = nowMicros,
                        Version = assigned.Version,
                    };
                    var notice = texts.Get("handoff.assigned", current.Language, names[assignment.OperatorId]);
                    sentMessages.Add(writer.Append(effects, writer.Prepare(current, BotResponder.SystemMessage(notice), null)));
                    if (!timers.TryAddQuiet(effects, current, new TimerEvent.Assigned(), settings[current.CallCentre ?? CallCentres.Default]))
                        notQuiet.Add(current);
                    assignedNow.Add(assignment.OperatorId);
                    results.Add(new RoutedAssignment(assignment.DialogId, assignment.OperatorId, 0));
                }
                var operatorIds = assignedNow.Distinct(StringComparer.Ordinal).ToArray();
                if (operatorIds.Length > 0)
                    effects.Add($"UPDATE operators SET idle_since = @NowMicros WHERE {database.InList("id", "OperatorIds")}", new { NowMicros = nowMicros, OperatorIds = operatorIds });
                await effects.ExecuteAsync(c, t, cancellationToken);
                foreach (var current in notQuiet)
                {
                    var timed = await timers.ApplyAsync(c, t, current, new TimerEvent.Assigned(), settings[current.CallCentre ?? CallCentres.Default]);
                    sentMessages.AddRange(timed.Sent);
                }
                // A chunk is written as a whole: each of its assignments took an equal share of its time.
                var share = assignedNow.Count == 0 ? 0 : (System.Diagnostics.Stopwatch.GetTimestamp() - started) / assignedNow.Count;
                for (var i = results.Count - assignedNow.Count; i < results.Count; i++)
                    results[i] = results[i] with { ElapsedTicks = share };
            }
            return (results, sentMessages);
        }, cancellationToken);

        foreach (var a in assigned)
            feed.Publish(new FeedEvent.DialogChanged(a.DialogId, DialogStates.Assigned, a.OperatorId));
        await outbox.DeliverAsync(sent, cancellationToken);
        return assigned;
    }
}

/// <summary>Runs routing passes when asked and every few seconds as a safety net (overflow deadlines, a killed node).</summary>
public sealed class RoutingLoop(RoutingPass pass, AssignmentSignal signal, TimeProvider time, ILogger<RoutingLoop> logger) : PeriodicWorker(time, logger)
{
    // The wait happens in the signal: a request ends it early.
    protected override TimeSpan Interval => TimeSpan.Zero;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await signal.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        // A full pass may have left more it could take: go again at once.
        return (await pass.RunAsync(cancellationToken)).Count >= pass.Limit;
    }
}
