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
            var nowMicros = TimeExtensions.ToMicros(now);
            // A full pass leaves the rest to the next one, which the loop runs at once (see Limit).
            foreach (var assignment in decision.Assignments.Take(Limit))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var row = queuedRows[assignment.DialogId];
                var transition = actions.Assign(dialogs[assignment.DialogId], assignment);
                if (!transition.IsSuccess || !await HandoffStore.SaveAsync(c, t, transition.Value, row.Version))
                    continue;
                var assigned = transition.Value.Dialog;
                var current = row with
                {
                    State = DialogStates.Assigned,
                    OperatorId = assigned.OperatorId,
                    AssignedAt = nowMicros,
                    Version = assigned.Version,
                };
                var notice = texts.Get("handoff.assigned", current.Language, names[assignment.OperatorId]);
                sentMessages.Add(await writer.AppendAsync(c, t, current, BotResponder.SystemMessage(notice), null));
                var callCentre = current.CallCentre ?? CallCentres.Default;
                if (!settings.TryGetValue(callCentre, out var centre))
                    settings[callCentre] = centre = await HandoffStore.SettingsAsync(c, t, callCentre);
                var effects = await timers.ApplyAsync(c, t, current, new TimerEvent.Assigned(), centre);
                sentMessages.AddRange(effects.Sent);
                results.Add(new RoutedAssignment(assignment.DialogId, assignment.OperatorId, System.Diagnostics.Stopwatch.GetTimestamp() - started));
            }
            foreach (var operatorId in results.Select(r => r.OperatorId).Distinct())
                await c.ExecuteAsync("UPDATE operators SET idle_since = @nowMicros WHERE id = @operatorId", new { nowMicros, operatorId }, t);
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
