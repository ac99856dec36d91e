using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using HandoffDialog = BotEngine.Handoff.Dialog;

namespace BotEngine.Engine.Desk;

/// <summary>
/// One routing pass: reads the queue and the operators, lets the routing core decide, and writes the
/// assignments, all under one lock (the SQLite writer, or a PostgreSQL advisory lock), so no dialog is assigned
/// twice and no operator goes over capacity even with several nodes routing at once.
/// </summary>
public sealed class RoutingPass(
    Database database,
    DeskLocks locks,
    OperatorStore operatorStore,
    Router router,
    DialogActions actions,
    DialogTimers timers,
    EffectsPublisher effects,
    TimeProvider time)
{
    private const int SqlitePassLimit = 2_000;

    /// <summary>Assignments written per batch: two round trips each on PostgreSQL.</summary>
    private const int ChunkSize = 500;

    /// <summary>
    /// How many assignments one pass writes. On SQLite a pass holds the only writer, so it is bounded and the loop
    /// runs another at once; PostgreSQL's other writers are not held up by it, so one pass takes all it can.
    /// </summary>
    public int Limit => database.Dialect == SqlDialect.Sqlite ? SqlitePassLimit : int.MaxValue;

    public async Task<IReadOnlyList<RoutedAssignment>> RunAsync(CancellationToken cancellationToken)
    {
        var (assigned, sent) = await database.WriteAsync(async (c, t) =>
        {
            await locks.LockRoutingAsync(c, t);
            var pass = await ReadAsync(c, t);
            var results = new List<RoutedAssignment>();
            var sentMessages = new List<StoredMessage>();
            if (pass is null)
                return (results, sentMessages);
            var decision = router.Route(pass.Queue, pass.Operators, pass.Now);
            // A full pass leaves the rest to the next one, which the loop runs at once (see Limit).
            foreach (var chunk in decision.Assignments.Take(Limit).Chunk(ChunkSize))
                await WriteChunkAsync(c, t, pass, chunk, results, sentMessages, cancellationToken);
            return (results, sentMessages);
        }, cancellationToken);

        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [.. assigned.Select(a => new FeedEvent.DialogChanged(a.DialogId, DialogStates.Assigned, a.OperatorId))],
        }, cancellationToken);
        return assigned;
    }

    /// <summary>What one pass decides on: the queue and the online operators, read under the lock.</summary>
    private sealed record PassInput(
        Dictionary<string, StoredDialog> Rows,
        Dictionary<string, HandoffDialog> Dialogs,
        QueueSnapshot Queue,
        IReadOnlyList<OperatorSnapshot> Operators,
        Dictionary<string, CallCentreSettings> Settings,
        DateTimeOffset Now);

    private async Task<PassInput?> ReadAsync(DbConnection c, DbTransaction t)
    {
        var rows = (await QueueStore.QueuedRowsAsync(c, t)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        if (rows.Count == 0)
            return null;
        var operatorRows = await OperatorStore.OnlineAsync(c, t);
        if (operatorRows.Count == 0)
            return null;
        var load = await QueueStore.LoadsAsync(c, t);
        var operators = operatorRows.Select(o => new OperatorSnapshot(o.Id, HandoffStore.Status(o), HandoffStore.Routing(o),
            load.GetValueOrDefault(o.Id), TimeExtensions.FromMicros(o.IdleSince ?? o.StatusChangedAt))).ToList();
        var settings = new Dictionary<string, CallCentreSettings>(StringComparer.Ordinal);
        foreach (var callCentre in rows.Values.Select(r => r.CallCentre ?? CallCentres.Default).Distinct(StringComparer.Ordinal))
            settings[callCentre] = await CallCentreStore.LoadSettingsAsync(c, t, callCentre);
        var dialogs = rows.Values.ToDictionary(r => r.Id, HandoffStore.ToDialog, StringComparer.Ordinal);
        var queue = new QueueSnapshot(dialogs.Values.Select(d => d.ToQueued()).OfType<QueuedDialog>().ToList());
        // Read first, then take the time: whatever this pass saw happened before the times it records.
        return new PassInput(rows, dialogs, queue, operators, settings, time.GetUtcNow());
    }

    /// <summary>
    /// Writes a chunk of assignments in two batches: the versioned saves, then for those that held, the client's
    /// notice, the operator's response timer and the operators' idle times.
    /// </summary>
    private async Task WriteChunkAsync(DbConnection c, DbTransaction t, PassInput pass, Assignment[] chunk,
        List<RoutedAssignment> results, List<StoredMessage> sentMessages, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var saves = SqlBatch.For(c);
        var candidates = new List<(Assignment Assignment, HandoffDialog Dialog, int Saved)>(chunk.Length);
        foreach (var assignment in chunk)
        {
            var transition = actions.Assign(pass.Dialogs[assignment.DialogId], assignment);
            if (transition.IsSuccess)
                candidates.Add((assignment, transition.Value.Dialog, HandoffStore.AddSave(saves, transition.Value, pass.Rows[assignment.DialogId].Version)));
        }
        var affected = await saves.ExecuteAsync(c, t, cancellationToken);

        var effects = SqlBatch.For(c);
        var notQuiet = new List<StoredDialog>();
        var assignedNow = new List<string>();
        var nowMicros = TimeExtensions.ToMicros(pass.Now);
        foreach (var (assignment, assigned, saved) in candidates)
        {
            if (!HandoffStore.IsSaved(affected, saved))
                continue;
            var current = pass.Rows[assignment.DialogId] with
            {
                State = DialogStates.Assigned,
                OperatorId = assigned.OperatorId,
                AssignedAt = nowMicros,
                Version = assigned.Version,
            };
            // The client hears that an operator joined when the operator accepts (OperatorDesk), not on the offer.
            if (!timers.TryAddQuiet(effects, current, new TimerEvent.Assigned(), SettingsOf(pass, current)))
                notQuiet.Add(current);
            assignedNow.Add(assignment.OperatorId);
        }
        var operatorIds = assignedNow.Distinct(StringComparer.Ordinal).ToArray();
        if (operatorIds.Length > 0)
            operatorStore.AddIdleSince(effects, operatorIds, nowMicros);
        await effects.ExecuteAsync(c, t, cancellationToken);
        foreach (var current in notQuiet)
            sentMessages.AddRange((await timers.ApplyAsync(c, t, current, new TimerEvent.Assigned(), SettingsOf(pass, current))).Sent);

        // The chunk is written as a whole: each of its assignments took an equal share of its time.
        var share = assignedNow.Count == 0 ? 0 : (System.Diagnostics.Stopwatch.GetTimestamp() - started) / assignedNow.Count;
        results.AddRange(candidates.Where(x => HandoffStore.IsSaved(affected, x.Saved))
            .Select(x => new RoutedAssignment(x.Assignment.DialogId, x.Assignment.OperatorId, share)));
    }

    private static CallCentreSettings SettingsOf(PassInput pass, StoredDialog row) => pass.Settings[row.CallCentre ?? CallCentres.Default];
}
