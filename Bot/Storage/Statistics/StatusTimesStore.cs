using Dapper;

namespace BotEngine.Storage.Statistics;

/// <summary>What operator status times are computed from: the status log and the events that start and end holding a dialog.</summary>
public sealed class StatusTimesStore(Database database)
{
    /// <summary>Status changes in [from, to), and each operator's last change before <paramref name="from"/> (their status when the period starts).</summary>
    public async Task<IReadOnlyList<StatusChangeRow>> StatusChangesAsync(long from, long to, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StatusChangeRow>("""
            SELECT s.operator_id, s.status, s.at FROM operator_status_log s WHERE s.at >= @from AND s.at < @to
            UNION ALL
            SELECT o.id AS operator_id, s.status, s.at FROM operators o
            JOIN operator_status_log s ON s.operator_id = o.id
             AND s.at = (SELECT MAX(x.at) FROM operator_status_log x WHERE x.operator_id = o.id AND x.at < @from)
            ORDER BY 1, 3
            """, new { from, to }), cancellationToken)).AsList();

    /// <summary>
    /// The events of dialogs that were held by an operator at some time in [from, to): assignments and what ends them
    /// (requeued, transferred, detached, closed), before <paramref name="to"/>, in order within each dialog.
    /// </summary>
    public async Task<IReadOnlyList<HoldEventRow>> HoldEventsAsync(long from, long to, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<HoldEventRow>("""
            SELECT e.dialog_id, e.kind, e.operator_id, e.at FROM dialog_events e JOIN dialogs d ON d.id = e.dialog_id
            WHERE e.kind IN ('assigned', 'requeued', 'transferred', 'detached', 'closed') AND e.at < @to
              AND d.assigned_at IS NOT NULL AND (d.closed_at IS NULL OR d.closed_at >= @from)
            ORDER BY e.dialog_id, e.at
            """, new { from, to }), cancellationToken)).AsList();
}
