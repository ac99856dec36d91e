using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Webhooks;

/// <summary>
/// The statements of outgoing webhooks: subscriptions, the capture of stored events into the delivery outbox, the
/// claim of due deliveries (the oldest pending one of each dialog only, so order holds), their outcomes, the
/// delivery log and replay.
/// </summary>
public sealed class WebhookStore(Database database)
{
    private const string SubscriptionColumns = "id, url, events, secret, description, enabled, created_by, created_at, updated_at, captured_until";
    private const string DeliveryColumns = """
        id, subscription_id, event_key, event_type, stream, event_at, ordinal, payload, state, attempts, next_attempt_at,
        last_status, last_error, delivered_at, created_at
        """;

    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    /// <summary>
    /// The ordinal of a dialog's state changes: after every message of the same instant (messages are 1 + seq), then
    /// queued, assigned, transferred, closed, rated in that order.
    /// </summary>
    private const long AfterMessages = 1_000_000_000_000_000;

    public async Task<IReadOnlyList<WebhookSubscriptionRow>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<WebhookSubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM webhook_subscriptions ORDER BY created_at, id"), cancellationToken)).AsList();

    public Task<WebhookSubscriptionRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<WebhookSubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @id", new { id }), cancellationToken);

    public Task InsertAsync(WebhookSubscriptionRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync($"""
            INSERT INTO webhook_subscriptions ({SubscriptionColumns})
            VALUES (@Id, @Url, @Events, @Secret, @Description, @EnabledValue, @CreatedBy, @CreatedAt, @UpdatedAt, @CapturedUntil)
            """, Parameters(row), t), cancellationToken);

    /// <summary>Replaces what an administrator may change; false when the subscription does not exist.</summary>
    public async Task<bool> UpdateAsync(WebhookSubscriptionRow row, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE webhook_subscriptions SET url = @Url, events = @Events, secret = @Secret, description = @Description,
                   enabled = @EnabledValue, updated_at = @UpdatedAt
            WHERE id = @Id
            """, Parameters(row), t), cancellationToken) == 1;

    /// <summary>Removes a subscription with its delivery log; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM webhook_deliveries WHERE subscription_id = @id", new { id }, t);
            return await c.ExecuteAsync("DELETE FROM webhook_subscriptions WHERE id = @id", new { id }, t);
        }, cancellationToken) == 1;

    private static object Parameters(WebhookSubscriptionRow row) => new
    {
        row.Id, row.Url, row.Events, row.Secret, row.Description, EnabledValue = row.Enabled,
        row.CreatedBy, row.CreatedAt, row.UpdatedAt, row.CapturedUntil,
    };

    /// <summary>
    /// Stored events of the subscription's types with a time in [<paramref name="from"/>, <paramref name="to"/>] that it
    /// has no delivery for yet, oldest first, at most <paramref name="limit"/> of each source.
    /// </summary>
    public async Task<IReadOnlyList<WebhookSourceEvent>> UncapturedAsync(WebhookSubscriptionRow subscription, long from, long to, int limit, CancellationToken cancellationToken)
    {
        var types = subscription.EventTypes().ToHashSet(StringComparer.Ordinal);
        var kinds = WebhookEventTypes.DialogEventKinds.Where(k => types.Contains(k.Value)).Select(k => k.Key).ToArray();
        var directions = new[] { (WebhookEventTypes.MessageIn, "in"), (WebhookEventTypes.MessageOut, "out") }
            .Where(d => types.Contains(d.Item1)).Select(d => d.Item2).ToArray();
        var p = new { sid = subscription.Id, from, to, limit, kinds, directions };
        return await database.ReadAsync(async c =>
        {
            var found = new List<WebhookSourceEvent>();
            if (kinds.Length > 0)
            {
                const string key = "'dialog:' || e.dialog_id || ':' || e.kind || ':' || CAST(e.at AS TEXT)";
                var rows = await c.QueryAsync<WebhookSourceEvent>($"""
                    SELECT {key} AS event_key, e.kind AS event_type, e.dialog_id AS stream, e.at,
                           CASE e.kind WHEN 'opened' THEN 0 WHEN 'assigned' THEN {AfterMessages} + 1 WHEN 'transferred' THEN {AfterMessages} + 2 WHEN 'closed' THEN {AfterMessages} + 3 ELSE {AfterMessages} END AS ordinal, e.dialog_id, d.client_id,
                           d.channel, e.operator_id, d.line, d.call_centre, d.closed_by, d.close_topic AS topic
                    FROM dialog_events e JOIN dialogs d ON d.id = e.dialog_id
                    WHERE {database.InList("e.kind", "kinds")} AND e.at >= @from AND e.at <= @to
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.subscription_id = @sid AND w.event_key = {key})
                    ORDER BY e.at LIMIT @limit
                    """, p);
                found.AddRange(rows.Select(r => r with { EventType = WebhookEventTypes.DialogEventKinds[r.EventType] }));
            }
            if (directions.Length > 0)
            {
                var rows = await c.QueryAsync<WebhookSourceEvent>($"""
                    SELECT 'message:' || m.id AS event_key, m.direction AS event_type, m.dialog_id AS stream, m.created_at AS at, 1 + m.seq AS ordinal,
                           m.dialog_id, d.client_id, m.channel, m.author_id AS operator_id, d.line, d.call_centre, m.id AS message_id,
                           m.author, m.text
                    FROM messages m JOIN dialogs d ON d.id = m.dialog_id
                    WHERE {database.InList("m.direction", "directions")} AND m.created_at >= @from AND m.created_at <= @to
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.subscription_id = @sid AND w.event_key = 'message:' || m.id)
                    ORDER BY m.created_at, m.seq LIMIT @limit
                    """, p);
                found.AddRange(rows.Select(r => r with { EventType = r.EventType == "in" ? WebhookEventTypes.MessageIn : WebhookEventTypes.MessageOut }));
            }
            if (types.Contains(WebhookEventTypes.DialogRated))
            {
                const string key = "'rating:' || d.id || ':' || CAST(d.rated_at AS TEXT)";
                found.AddRange(await c.QueryAsync<WebhookSourceEvent>($"""
                    SELECT {key} AS event_key, '{WebhookEventTypes.DialogRated}' AS event_type, d.id AS stream, d.rated_at AS at, {AfterMessages} + 4 AS ordinal,
                           d.id AS dialog_id, d.client_id, d.channel, d.operator_id, d.line, d.call_centre, d.rating, d.rating_comment
                    FROM dialogs d
                    WHERE d.rated_at >= @from AND d.rated_at <= @to
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.subscription_id = @sid AND w.event_key = {key})
                    ORDER BY d.rated_at LIMIT @limit
                    """, p));
            }
            if (types.Contains(WebhookEventTypes.OperatorStatus))
            {
                const string key = "'status:' || s.operator_id || ':' || CAST(s.at AS TEXT) || ':' || s.status";
                found.AddRange(await c.QueryAsync<WebhookSourceEvent>($"""
                    SELECT {key} AS event_key, '{WebhookEventTypes.OperatorStatus}' AS event_type, 'operator:' || s.operator_id AS stream,
                           s.at, 0 AS ordinal, s.operator_id, s.status
                    FROM operator_status_log s
                    WHERE s.at >= @from AND s.at <= @to
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.subscription_id = @sid AND w.event_key = {key})
                    ORDER BY s.at LIMIT @limit
                    """, p));
            }
            return found;
        }, cancellationToken);
    }

    /// <summary>
    /// Adds the deliveries (an event already captured for the subscription is skipped, so two nodes capturing the same
    /// window store it once) and moves the subscription's capture mark to <paramref name="capturedUntil"/>.
    /// </summary>
    public Task CaptureAsync(string subscriptionId, IReadOnlyList<WebhookDeliveryRow> deliveries, long capturedUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (deliveries.Count > 0)
                await c.ExecuteAsync($"""
                    INSERT INTO webhook_deliveries ({DeliveryColumns})
                    VALUES (@Id, @SubscriptionId, @EventKey, @EventType, @Stream, @EventAt, @Ordinal, @Payload, @State, @Attempts, @NextAttemptAt,
                            @LastStatus, @LastError, @DeliveredAt, @CreatedAt)
                    ON CONFLICT (subscription_id, event_key) DO NOTHING
                    """, deliveries, t);
            await c.ExecuteAsync(
                "UPDATE webhook_subscriptions SET captured_until = @capturedUntil WHERE id = @subscriptionId AND captured_until < @capturedUntil",
                new { subscriptionId, capturedUntil }, t);
        }, cancellationToken);

    /// <summary>
    /// Pending deliveries of enabled subscriptions that are due and first in their stream (nothing older of the same
    /// dialog or operator is still pending), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<WebhookDeliveryRow>> DueAsync(long now, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<WebhookDeliveryRow>($"""
            SELECT {Prefixed("d")} FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.state = '{Pending}' AND d.next_attempt_at <= @now AND s.enabled = 1
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                              WHERE p.subscription_id = d.subscription_id AND p.stream = d.stream AND p.state = '{Pending}'
                                AND (p.event_at < d.event_at OR (p.event_at = d.event_at
                                     AND (p.ordinal < d.ordinal OR (p.ordinal = d.ordinal AND p.event_key < d.event_key)))))
            ORDER BY d.event_at, d.ordinal, d.event_key LIMIT @limit
            """, new { now, limit }), cancellationToken)).AsList();

    /// <summary>Takes a due delivery for one attempt until <paramref name="leaseUntil"/>; false when another node took it first.</summary>
    public async Task<bool> ClaimAsync(WebhookDeliveryRow delivery, long leaseUntil, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            $"UPDATE webhook_deliveries SET next_attempt_at = @leaseUntil WHERE id = @Id AND state = '{Pending}' AND next_attempt_at = @NextAttemptAt",
            new { leaseUntil, delivery.Id, delivery.NextAttemptAt }, t), cancellationToken) == 1;

    public Task MarkDeliveredAsync(string id, int status, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync($"""
            UPDATE webhook_deliveries SET state = '{Delivered}', attempts = attempts + 1, last_status = @status, last_error = NULL,
                   delivered_at = @now
            WHERE id = @id
            """, new { id, status, now }, t), cancellationToken);

    /// <summary>Records a failed attempt: the delivery is tried again at <paramref name="retryAt"/>, or is dead when that is null.</summary>
    public Task MarkFailedAsync(string id, int? status, string error, long? retryAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync($"""
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = @status, last_error = @error,
                   state = CASE WHEN @dead = 1 THEN '{Dead}' ELSE '{Pending}' END, next_attempt_at = COALESCE(@retryAt, next_attempt_at)
            WHERE id = @id
            """, new { id, status, error, retryAt, dead = retryAt is null ? 1 : 0 }, t), cancellationToken);

    /// <summary>A subscription's deliveries, newest first, optionally in one state, after a (created_at, id) cursor.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryRow>> DeliveriesAsync(string subscriptionId, string? state, long? beforeAt, string? beforeId, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string> { "subscription_id = @subscriptionId" };
        if (state is not null)
            where.Add("state = @state");
        if (beforeAt is not null)
            where.Add("(created_at < @beforeAt OR (created_at = @beforeAt AND id < @beforeId))");
        return (await database.ReadAsync(c => c.QueryAsync<WebhookDeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE {string.Join(" AND ", where)} ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { subscriptionId, state, beforeAt, beforeId, limit }), cancellationToken)).AsList();
    }

    /// <summary>Counts of a subscription's deliveries by state.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(string subscriptionId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string State, long Count)>(
            "SELECT state, COUNT(*) FROM webhook_deliveries WHERE subscription_id = @subscriptionId GROUP BY state", new { subscriptionId }), cancellationToken))
        .ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);

    public Task<WebhookDeliveryRow?> FindDeliveryAsync(string subscriptionId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = @id AND subscription_id = @subscriptionId", new { id, subscriptionId }), cancellationToken);

    /// <summary>Sends a dead or delivered delivery again with fresh attempts; false when it is pending (or gone).</summary>
    public async Task<bool> ReplayAsync(string subscriptionId, string id, long now, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync($"""
            UPDATE webhook_deliveries SET state = '{Pending}', attempts = 0, next_attempt_at = @now, last_error = NULL, last_status = NULL,
                   delivered_at = NULL
            WHERE id = @id AND subscription_id = @subscriptionId AND state <> '{Pending}'
            """, new { id, subscriptionId, now }, t), cancellationToken) == 1;

    private static string Prefixed(string alias) =>
        string.Join(", ", DeliveryColumns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => $"{alias}.{c}"));
}
