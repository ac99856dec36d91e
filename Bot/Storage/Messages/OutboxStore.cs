using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Messages;

/// <summary>The outbox's rows: what is due, a leased claim per attempt, and the outcome of each attempt.</summary>
public sealed class OutboxStore(Database database) : IOutboxStore
{
    public async Task<IReadOnlyList<string>> DueAsync(long now, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>("""
            SELECT id FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @now
            ORDER BY created_at LIMIT @limit
            """, new { now, limit }), cancellationToken)).AsList();

    /// <summary>Claims the row until <paramref name="leaseUntil"/> and counts the attempt; null when it is not due (delivered, failed or claimed).</summary>
    public Task<OutboxClaim?> ClaimAsync(string id, long now, long leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync<OutboxClaim?>(async (c, t) =>
        {
            var rows = await c.ExecuteAsync("""
                UPDATE outbox SET next_attempt_at = @leaseUntil, attempts = attempts + 1
                WHERE id = @id AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @now
                """, new { id, now, leaseUntil }, t);
            if (rows == 0)
                return null;
            return await c.QuerySingleAsync<OutboxClaim>("""
                SELECT o.id, o.conversation_id, o.channel, m.activity, o.attempts FROM outbox o JOIN messages m ON m.id = o.id WHERE o.id = @id
                """, new { id }, t);
        }, cancellationToken);

    public Task MarkDeliveredAsync(string id, long delivered, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE outbox SET delivered_at = @delivered WHERE id = @id", new { id, delivered }, t), cancellationToken);

    /// <summary>Records a failed attempt: due again at <paramref name="next"/>, or failed for good when <paramref name="failed"/> is set.</summary>
    public Task MarkFailedAsync(string id, string error, long next, long? failed, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE outbox SET last_error = @error, next_attempt_at = @next, failed_at = @failed WHERE id = @id",
            new { id, error, next, failed }, t), cancellationToken);

    /// <summary>Deliveries that failed for good, newest first.</summary>
    public async Task<IReadOnlyList<ParkedDelivery>> ListFailedAsync(int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ParkedDelivery>("""
            SELECT id, conversation_id, channel, attempts, last_error, failed_at FROM outbox
            WHERE failed_at IS NOT NULL AND delivered_at IS NULL ORDER BY failed_at DESC LIMIT @limit
            """, new { limit }), cancellationToken)).AsList();

    /// <summary>Makes a delivery that failed for good due again with fresh attempts: true, or false when it has not failed (Exists tells an unknown id apart).</summary>
    public Task<(bool Requeued, bool Exists)> RequeueFailedAsync(string id, long now, CancellationToken cancellationToken) =>
        database.WriteAsync<(bool, bool)>(async (c, t) =>
        {
            var requeued = await c.ExecuteAsync("""
                UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = @now
                WHERE id = @id AND failed_at IS NOT NULL AND delivered_at IS NULL
                """, new { id, now }, t) > 0;
            return (requeued, requeued || await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE id = @id", new { id }, t) > 0);
        }, cancellationToken);
}
