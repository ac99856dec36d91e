using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Workplace;

/// <summary>When each operator's workplace page was last heard from, shared by every node through the database.</summary>
public sealed class PresenceStore(Database database)
{
    public Task TouchAsync(string operatorId, long nowMicros, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO operator_presence (operator_id, seen_at) VALUES (@operatorId, @nowMicros)
            ON CONFLICT (operator_id) DO UPDATE SET seen_at = excluded.seen_at
            """, new { operatorId, nowMicros }, t), cancellationToken);

    /// <summary>
    /// The page left: its time is noted only while the operator's presence is still kept. A stream whose end the server
    /// notices after the operator was already timed out (or signed out) must not bring the forgotten presence back.
    /// </summary>
    public Task LeftAsync(string operatorId, long nowMicros, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE operator_presence SET seen_at = @nowMicros WHERE operator_id = @operatorId", new { operatorId, nowMicros }, t), cancellationToken);

    /// <summary>Operators in any status but offline whose page was last heard from before <paramref name="cutoffMicros"/>.</summary>
    public async Task<List<string>> StaleAsync(long cutoffMicros, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>(
            """
            SELECT p.operator_id FROM operator_presence p JOIN operators o ON o.id = p.operator_id
            WHERE p.seen_at < @cutoffMicros AND o.status <> 'offline'
            ORDER BY p.seen_at
            """, new { cutoffMicros }), cancellationToken)).AsList();

    /// <summary>Checked again in the transaction that takes the operator offline: a heartbeat may have come meanwhile.</summary>
    public static async Task<bool> IsStaleAsync(DbConnection c, DbTransaction t, string operatorId, long cutoffMicros) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM operator_presence WHERE operator_id = @operatorId AND seen_at < @cutoffMicros",
            new { operatorId, cutoffMicros }, t) > 0;

    /// <summary>The page is gone (timed out, signed out): presence decides nothing until a page is heard from again.</summary>
    public static Task ForgetAsync(DbConnection c, DbTransaction t, string operatorId) =>
        c.ExecuteAsync("DELETE FROM operator_presence WHERE operator_id = @operatorId", new { operatorId }, t);

    public Task<long?> SeenAtAsync(string operatorId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<long?>("SELECT seen_at FROM operator_presence WHERE operator_id = @operatorId", new { operatorId }), cancellationToken);
}
