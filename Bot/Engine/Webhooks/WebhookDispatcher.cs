using BotEngine.Storage;
using BotEngine.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// One round of outgoing webhooks: capture what the engine stored since the last round into each enabled
/// subscription's outbox, then deliver the due deliveries (first of their dialog only, so each dialog's events arrive
/// in order), retrying a failure after an exponential backoff and dead-lettering it after the last attempt.
/// </summary>
public sealed partial class WebhookDispatcher(WebhookStore store, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
{
    private const int CaptureLimit = 500;
    private const int DeliverLimit = 100;
    private const int MaxParallelPosts = 16;

    /// <summary>Runs a round and says what it found.</summary>
    public async Task<WebhookRound> RunOnceAsync(CancellationToken cancellationToken)
    {
        var subscriptions = (await store.ListAsync(cancellationToken)).Where(s => s.Enabled == 1).ToList();
        if (subscriptions.Count == 0)
            return WebhookRound.NoSubscriptions;
        var more = false;
        foreach (var subscription in subscriptions)
            more |= await CaptureAsync(subscription, cancellationToken);
        more |= await DeliverDueAsync(subscriptions.ToDictionary(s => s.Id, StringComparer.Ordinal), cancellationToken) == DeliverLimit;
        return more ? WebhookRound.More : WebhookRound.Done;
    }

    private async Task<bool> CaptureAsync(WebhookSubscriptionRow subscription, CancellationToken cancellationToken)
    {
        var to = time.NowMicros();
        var overlap = (long)options.Value.CaptureOverlap.TotalMicroseconds;
        var from = Math.Max(subscription.CreatedAt, subscription.CapturedUntil - overlap);
        var events = await store.UncapturedAsync(subscription, from, to, CaptureLimit, cancellationToken);
        // A source that filled its limit was read only up to its last event: the mark stops just before it.
        var capturedUntil = events.GroupBy(e => Source(e.EventType)).Where(g => g.Count() >= CaptureLimit)
            .Select(g => g.Max(e => e.At) - 1).DefaultIfEmpty(to).Min();
        var deliveries = events.OrderBy(e => e.At).ThenBy(e => e.Ordinal).ThenBy(e => e.EventKey, StringComparer.Ordinal).Select(e => new WebhookDeliveryRow
        {
            Id = Ids.New(),
            SubscriptionId = subscription.Id,
            EventKey = e.EventKey,
            EventType = e.EventType,
            Stream = e.Stream,
            EventAt = e.At,
            Ordinal = e.Ordinal,
            Payload = WebhookPayloads.Build(e),
            State = WebhookStore.Pending,
            NextAttemptAt = to,
            CreatedAt = to,
        }).ToList();
        await store.CaptureAsync(subscription.Id, deliveries, capturedUntil, cancellationToken);
        return capturedUntil < to;
    }

    private static string Source(string eventType) => eventType switch
    {
        WebhookEventTypes.MessageIn or WebhookEventTypes.MessageOut => "messages",
        WebhookEventTypes.DialogRated => "ratings",
        WebhookEventTypes.OperatorStatus => "statuses",
        _ => "dialog_events",
    };

    private async Task<int> DeliverDueAsync(IReadOnlyDictionary<string, WebhookSubscriptionRow> subscriptions, CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var due = await store.DueAsync(now, DeliverLimit, cancellationToken);
        // While an attempt runs the delivery is leased to this node; a node that dies leaves it due again after the lease.
        var leaseUntil = now + (long)(options.Value.Timeout * 2).TotalMicroseconds;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPosts, CancellationToken = cancellationToken }, async (delivery, ct) =>
        {
            if (!subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription) || !await store.ClaimAsync(delivery, leaseUntil, ct))
                return;
            var attempt = await sender.SendAsync(subscription, delivery, ct);
            if (attempt.Delivered)
            {
                await store.MarkDeliveredAsync(delivery.Id, attempt.Status ?? 200, time.NowMicros(), ct);
                return;
            }
            var failures = delivery.Attempts + 1;
            var error = attempt.Error ?? "failed";
            if (failures >= options.Value.MaxAttempts)
            {
                LogDeadLettered(logger, delivery.Id, delivery.EventType, subscription.Url, failures, error);
                await store.MarkFailedAsync(delivery.Id, attempt.Status, error, null, ct);
                return;
            }
            LogAttemptFailed(logger, delivery.Id, subscription.Url, failures, error);
            var retryAt = time.NowMicros() + (long)options.Value.RetryDelay(failures).TotalMicroseconds;
            await store.MarkFailedAsync(delivery.Id, attempt.Status, error, retryAt, ct);
        });
        return due.Count;
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to {Url} failed (attempt {Attempt}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string url, long attempt, string error);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} ({EventType}) to {Url} dead-lettered after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string deliveryId, string eventType, string url, long attempts, string error);
}
