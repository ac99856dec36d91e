namespace BotEngine.Conversations;

/// <summary>
/// What the turn loop reads and claims on inbound messages, outside a turn's own commit: the next message with its
/// dialog, the conversations with a message to recover, and the retry bookkeeping that keeps one run of a message at a
/// time across nodes. Times are microseconds since the Unix epoch.
/// </summary>
public interface ITurnStore
{
    /// <summary>The conversation's oldest unprocessed message with its dialog, and whether another waits behind it; null when none waits.</summary>
    Task<NextTurn?> ReadNextAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The dialog as stored now (after a turn's write found it changed).</summary>
    Task<StoredDialog> LoadDialogAsync(string dialogId, CancellationToken cancellationToken);

    /// <summary>Conversations with an unprocessed message that is due at <paramref name="now"/>, or older than <paramref name="staleBefore"/> with no retry set.</summary>
    Task<IReadOnlyList<string>> FindUnprocessedConversationsAsync(long now, long staleBefore, CancellationToken cancellationToken);

    /// <summary>Claims a retry run until <paramref name="leaseUntil"/>, counting it; false when it is not due or another run took it.</summary>
    Task<bool> ClaimRetryAsync(string messageId, int storedAttempts, long now, long leaseUntil, CancellationToken cancellationToken);

    /// <summary>Records a failed run, conditional on the count the run saw; false when another run already recorded it.</summary>
    Task<bool> RecordFailureAsync(string messageId, int attempts, int expectedAttempts, string error, long next, CancellationToken cancellationToken);

    /// <summary>Gives a claimed run back uncounted and due at <paramref name="now"/>.</summary>
    Task ReleaseClaimAsync(string messageId, int attempts, long now, CancellationToken cancellationToken);
}
