using BotEngine.Conversations;
using BotEngine.Storage;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Decides whether a message's turn may run now and records what a failed run means: a retry after exponential
/// backoff, or parking after <see cref="TurnOptions.MaxAttempts"/>. A message's first run on the node that took it
/// is not claimed (the common path stays one write); retries and recovered messages are claimed with a conditional
/// update, so two nodes never run them at once and a run that kills the process still counts.
/// </summary>
public sealed partial class TurnRetries(
    ITurnStore turns,
    TurnParking parking,
    TimeProvider time,
    IOptions<TurnOptions> options,
    ILogger<TurnRetries> logger)
{
    /// <summary>The run to make now, or null when the message is not due or another node holds it (the sweep comes back).</summary>
    public async Task<TurnAttempt?> BeginAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.NowMicros();
        if (message.TurnNextAt is { } next && next > now)
            return null;
        var recovered = message.TurnNextAt is not null || message.CreatedAt <= now - (long)o.RecoverAfter.TotalMicroseconds;
        if (!recovered)
            return new TurnAttempt(1, Counted: false);

        var leaseUntil = now + (long)o.RetryLease.TotalMicroseconds;
        if (!await turns.ClaimRetryAsync(message.Id, message.TurnAttempts, now, leaseUntil, cancellationToken))
            return null;
        var number = message.TurnAttempts + 1;
        return new TurnAttempt(number, Counted: true) { Exhausted = number > o.MaxAttempts };
    }

    /// <summary>Records a failed run: schedules the next one, or parks the message when this was the last.</summary>
    public async Task FailAsync(StoredMessage message, TurnAttempt attempt, Exception exception, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var error = Describe(exception);
        if (attempt.Number >= o.MaxAttempts)
        {
            await parking.ParkAsync(message, attempt.Stored, attempt.Number, error, exception, cancellationToken);
            return;
        }
        var delay = Backoff(attempt.Number, o);
        // Conditional on the count this run saw: when two nodes ran the same first attempt, one failure is recorded.
        var recorded = await turns.RecordFailureAsync(message.Id, attempt.Number, attempt.Stored, error,
            time.NowMicros() + (long)delay.TotalMicroseconds, cancellationToken);
        // One line per attempt, without the stack: that is logged once, when the message is parked.
        if (recorded)
            LogAttemptFailed(logger, message.Id, message.ConversationId, attempt.Number, o.MaxAttempts, delay, error);
    }

    /// <summary>Gives back a claimed run that the engine stopped: it is due again at once and does not count.</summary>
    public async Task ReleaseAsync(StoredMessage message, TurnAttempt attempt)
    {
        if (!attempt.Counted)
            return;
        try
        {
            // The engine is stopping, so the caller's token is already cancelled; this one write must still be tried.
            await turns.ReleaseClaimAsync(message.Id, attempt.Number, time.NowMicros(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Then the claim lapses after its lease, and the run counts: the message is late, not lost.
            LogReleaseFailed(logger, ex, message.Id);
        }
    }

    /// <summary>Parks a message whose claimed runs never reported back.</summary>
    public Task ParkUnfinishedAsync(StoredMessage message, TurnAttempt attempt, CancellationToken cancellationToken) =>
        parking.ParkAsync(message, attempt.Stored, attempt.Number - 1,
            $"The turn did not finish in {attempt.Number - 1} attempts (the engine stopped during it); last error: {message.TurnError ?? "none"}",
            null, cancellationToken);

    public static TimeSpan Backoff(int failedAttempts, TurnOptions o)
    {
        var factor = Math.Pow(2, Math.Min(30, failedAttempts - 1));
        return TimeSpan.FromTicks((long)Math.Min(o.RetryMaxDelay.Ticks, o.RetryBaseDelay.Ticks * factor));
    }

    private static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }

    [LoggerMessage(EventId = 214, Level = LogLevel.Warning, Message = "Could not give back the claim on message {MessageId} while stopping")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, string messageId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning,
        Message = "Turn of message {MessageId} in conversation {ConversationId} failed (attempt {Attempt} of {MaxAttempts}); retry in {Delay}: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string messageId, string conversationId, int attempt, int maxAttempts, TimeSpan delay, string error);
}
