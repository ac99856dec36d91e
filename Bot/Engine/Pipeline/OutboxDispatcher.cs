using BotEngine.Conversations;
using BotEngine.Engine.Channels;
using BotEngine.Storage;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Delivers outbox rows: a row is claimed with a lease (so two nodes or the sweep and the fast path never send
/// it at once), sent, then marked delivered; failures back off exponentially and end parked as failed. A channel that
/// asks to wait (<see cref="ChannelRetryLaterException"/>) gets the wait it asked for.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutboxStore outbox,
    IEnumerable<IChannelSender> senders,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ChangeFeed feed,
    ChannelDirectory channels,
    ChannelHealthRecorder health,
    ILogger<OutboxDispatcher> logger)
{
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    /// <summary>The fast path after a commit: sends what is still pending and announces what was delivered in the transaction.</summary>
    public async Task DeliverAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            if (message.DeliveredInTransaction)
                feed.Publish(new FeedEvent.ActivitiesAppended(message.ConversationId));
            else
                await DeliverOneAsync(message.Id, cancellationToken);
        }
    }

    /// <summary>Delivers what is due; returns how many rows it looked at.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var due = await outbox.DueAsync(now, 500, cancellationToken);
        var count = 0;
        foreach (var id in due)
        {
            await DeliverOneAsync(id, cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>A delivery that failed for good, tried again with fresh attempts (once its channel is fixed).</summary>
    public async Task<ReplayOutcome> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var (requeued, exists) = await outbox.RequeueFailedAsync(id, time.NowMicros(), cancellationToken);
        if (!requeued)
            return exists ? ReplayOutcome.NotParked : ReplayOutcome.NotFound;
        await DeliverOneAsync(id, cancellationToken);
        return ReplayOutcome.Replayed;
    }

    private async Task DeliverOneAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var leaseUntil = now + (long)options.Value.Lease.TotalMicroseconds;
        var claimed = await outbox.ClaimAsync(id, now, leaseUntil, cancellationToken);
        if (claimed is not { } row)
            return;

        try
        {
            // A message's channel is a configured instance (its type picks the sender) or a built-in channel.
            if (!_senders.TryGetValue(channels.TypeOf(row.Channel), out var sender))
                throw new InvalidOperationException($"No sender is registered for channel '{row.Channel}' (removed, or of a type this engine lacks).");
            await sender.SendAsync(new OutboundDelivery(row.Id, row.ConversationId, row.Channel, row.Activity), cancellationToken);
            await outbox.MarkDeliveredAsync(id, time.NowMicros(), cancellationToken);
            feed.Publish(new FeedEvent.ActivitiesAppended(row.ConversationId));
            await health.DeliveredAsync(row.Channel, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var attempts = (int)row.Attempts;
            var parked = ex is ChannelRefusedException || attempts >= options.Value.MaxAttempts;
            var backoff = ex is ChannelRetryLaterException later ? later.RetryAfter : TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)));
            LogDeliveryFailed(logger, ex, row.Id, row.Channel, attempts, parked);
            await health.FailedAsync(row.Channel, ex.Message, CancellationToken.None);
            var next = time.NowMicros() + (long)backoff.TotalMicroseconds;
            await outbox.MarkFailedAsync(id, ex.Message, next, parked ? time.NowMicros() : null, CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Delivery of {MessageId} to {Channel} failed (attempt {Attempts}, parked: {Parked})")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception ex, string messageId, string channel, int attempts, bool parked);
}
