using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>Reads of the queue: the waiting dialogs, who holds what, and the last hour's throughput.</summary>
public static class QueueStore
{
    /// <summary>
    /// The waiting dialogs, with what routing and a notice need (not the bot's memory, the largest column: this runs in
    /// every turn that queues a dialog).
    /// </summary>
    public static async Task<List<StoredDialog>> QueuedAsync(DbConnection c, DbTransaction? t) =>
        (await c.QueryAsync<StoredDialog>($"""
            SELECT id, client_id, conversation_id, channel, state, language, operator_id, line, call_centre, priority,
                   opened_at, queued_at, assigned_at, accepted_at, version, handoff
            FROM dialogs WHERE state = '{DialogStates.Queued}'
            """, transaction: t)).AsList();

    /// <summary>The waiting dialogs, whole rows (a routing pass writes their effects).</summary>
    public static async Task<List<StoredDialog>> QueuedRowsAsync(DbConnection c, DbTransaction t) =>
        (await c.QueryAsync<StoredDialog>("SELECT * FROM dialogs WHERE state = 'queued'", transaction: t)).AsList();

    /// <summary>The held dialogs (assigned or active), each with its operator.</summary>
    public static async Task<List<(string OperatorId, string Id)>> HeldAsync(DbConnection c, DbTransaction? t) =>
        (await c.QueryAsync<(string OperatorId, string Id)>(
            $"SELECT operator_id, id FROM dialogs WHERE state IN ('{DialogStates.Assigned}', '{DialogStates.Active}') AND operator_id IS NOT NULL",
            transaction: t)).AsList();

    /// <summary>How many dialogs each operator holds (assigned or active); operators holding none are left out.</summary>
    public static async Task<Dictionary<string, int>> LoadsAsync(DbConnection c, DbTransaction t) =>
        (await c.QueryAsync<(string OperatorId, long Count)>(
            "SELECT operator_id, COUNT(*) FROM dialogs WHERE state IN ('assigned', 'active') AND operator_id IS NOT NULL GROUP BY operator_id",
            transaction: t)).ToDictionary(x => x.OperatorId, x => (int)x.Count, StringComparer.Ordinal);

    /// <summary>
    /// The operators whose capacity the estimate counts (online, and invisible ones, who keep their dialogs), with the
    /// dialogs each holds, in one round trip.
    /// </summary>
    public static async Task<List<OperatorSnapshot>> WorkingOperatorsAsync(DbConnection c, DbTransaction? t) =>
        (await c.QueryAsync<OperatorRow, long, OperatorSnapshot>($"""
            SELECT o.*, (SELECT COUNT(*) FROM dialogs d WHERE d.operator_id = o.id AND d.state IN ('{DialogStates.Assigned}', '{DialogStates.Active}')) AS held
            FROM operators o WHERE o.status IN ('{OperatorStatus.Online.ToName()}', '{OperatorStatus.Invisible.ToName()}')
            """,
            (o, held) => new OperatorSnapshot(o.Id, HandoffStore.Status(o), HandoffStore.Routing(o), (int)held,
                TimeExtensions.FromMicros(o.IdleSince ?? o.StatusChangedAt)),
            transaction: t, splitOn: "held")).AsList();

    /// <summary>Assignments since <paramref name="since"/>, and the average time from assignment to close of dialogs closed since then (microseconds).</summary>
    public static Task<(long Assigned, double? HandlingMicros)> ThroughputAsync(DbConnection c, DbTransaction? t, long since) =>
        c.QuerySingleAsync<(long, double?)>($"""
            SELECT (SELECT COUNT(*) FROM dialog_events WHERE kind = 'assigned' AND at >= @since),
                   (SELECT CAST(AVG(closed_at - assigned_at) AS DOUBLE PRECISION) FROM dialogs
                    WHERE state = '{DialogStates.Closed}' AND closed_at >= @since AND assigned_at IS NOT NULL)
            """, new { since }, t);
}
