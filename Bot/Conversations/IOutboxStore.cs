namespace BotEngine.Conversations;

/// <summary>
/// The outbox: replies stored with the turn that made them, delivered after it commits, each attempt claimed under a
/// lease so that one node sends a reply at a time, and a delivery that failed for good kept for a person to see and
/// send again. Times are microseconds since the Unix epoch.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Ids of deliveries due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> DueAsync(long now, int limit, CancellationToken cancellationToken);

    /// <summary>Claims the delivery until <paramref name="leaseUntil"/> and counts the attempt; null when it is not due (delivered, failed or claimed).</summary>
    Task<OutboxClaim?> ClaimAsync(string id, long now, long leaseUntil, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(string id, long delivered, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: due again at <paramref name="next"/>, or failed for good when <paramref name="failed"/> is set.</summary>
    Task MarkFailedAsync(string id, string error, long next, long? failed, CancellationToken cancellationToken);

    /// <summary>Deliveries that failed for good, newest first.</summary>
    Task<IReadOnlyList<ParkedDelivery>> ListFailedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Makes a delivery that failed for good due again with fresh attempts: true, or false when it has not failed (Exists tells an unknown id apart).</summary>
    Task<(bool Requeued, bool Exists)> RequeueFailedAsync(string id, long now, CancellationToken cancellationToken);
}
