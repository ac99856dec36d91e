using BotEngine.Bot.Conversation;
using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Storage;
using Dapper;

namespace BotEngine.Bot.Routing;

/// <summary>Wakes the assigner; many requests before it runs coalesce into one pass.</summary>
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

/// <summary>
/// Hands queued dialogs to online operators with a free slot: oldest dialog first, least loaded operator
/// first, ties to the one idle longest. One pass runs under a lock (the SQLite writer, or a PostgreSQL
/// advisory lock), so no dialog is assigned twice and no operator goes over capacity.
/// </summary>
public sealed class QueueAssigner(Database database, OutboundWriter writer, OutboxDispatcher outbox, SystemTexts texts, ChangeFeed feed, TimeProvider time)
{
    private const long AssignmentLock = 7302;

    public async Task<int> AssignAsync(CancellationToken cancellationToken)
    {
        var assigned = await database.WriteAsync(async (c, t) =>
        {
            if (database.Dialect == SqlDialect.Postgres)
                await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@AssignmentLock)", new { AssignmentLock }, t);

            var operators = (await c.QueryAsync<OperatorLoad>("""
                SELECT o.id, o.display_name, o.max_dialogs,
                       (SELECT COUNT(*) FROM dialogs d WHERE d.operator_id = o.id AND d.state = 'assigned') AS load,
                       COALESCE((SELECT MAX(d.assigned_at) FROM dialogs d WHERE d.operator_id = o.id), o.status_changed_at) AS last_assigned_at
                FROM operators o WHERE o.status = 'online'
                """, transaction: t)).Where(o => o.Load < o.MaxDialogs).ToList();
            if (operators.Count == 0)
                return [];

            var capacity = operators.Sum(o => o.MaxDialogs - (int)o.Load);
            var queued = (await c.QueryAsync<DialogRow>(
                "SELECT * FROM dialogs WHERE state = 'queued' ORDER BY queued_at LIMIT @capacity", new { capacity }, t)).AsList();

            var results = new List<(DialogRow Dialog, OperatorLoad Operator, MessageRow Notice)>();
            var now = time.NowMicros();
            foreach (var dialog in queued)
            {
                var pick = operators.Where(o => o.Load < o.MaxDialogs)
                    .OrderBy(o => o.Load).ThenBy(o => o.LastAssignedAt).FirstOrDefault();
                if (pick is null)
                    break;
                var rows = await c.ExecuteAsync("""
                    UPDATE dialogs SET state = 'assigned', operator_id = @OperatorId, assigned_at = @now, version = version + 1
                    WHERE id = @Id AND state = 'queued'
                    """, new { OperatorId = pick.Id, now, dialog.Id }, t);
                if (rows == 0)
                    continue;
                pick.Load++;
                pick.LastAssignedAt = now;
                await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, operator_id, at) VALUES (@Id, 'assigned', @OperatorId, @now)",
                    new { dialog.Id, OperatorId = pick.Id, now }, t);
                var notice = BotResponder.SystemMessage(texts.Get("handoff.assigned", dialog.Language, pick.DisplayName));
                var message = await writer.AppendAsync(c, t, dialog, notice, null);
                results.Add((dialog, pick, message));
            }
            return results;
        }, cancellationToken);

        foreach (var (dialog, op, _) in assigned)
            feed.Publish(new FeedEvent.DialogChanged(dialog.Id, DialogStates.Assigned, op.Id));
        if (assigned.Count > 0)
            await outbox.DeliverAsync(assigned.Select(a => a.Notice).ToList(), cancellationToken);
        return assigned.Count;
    }

    private sealed class OperatorLoad
    {
        public string Id { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public int MaxDialogs { get; set; }
        public long Load { get; set; }
        public long LastAssignedAt { get; set; }
    }
}

/// <summary>Runs assignment passes when asked and every few seconds as a safety net.</summary>
public sealed partial class AssignmentLoop(QueueAssigner assigner, AssignmentSignal signal, ILogger<AssignmentLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                await assigner.AssignAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogAssignmentFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Assignment pass failed")]
    private static partial void LogAssignmentFailed(ILogger logger, Exception ex);
}
