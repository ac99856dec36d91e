namespace BotEngine.Engine.Webhooks;

/// <summary>Outgoing webhooks (<c>Webhooks:*</c>): how often the outbox is looked at, retries and their backoff, timeouts.</summary>
public sealed class WebhookOptions
{
    /// <summary>Attempts before a delivery is dead-lettered (replayable from the API).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each further failure doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the loop looks for events and due retries when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back each capture reads again, for transactions that committed after a later one was seen.</summary>
    public TimeSpan CaptureOverlap { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsValid() =>
        MaxAttempts is >= 1 and <= 100 && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay
        && Timeout > TimeSpan.Zero && PollInterval > TimeSpan.Zero && CaptureOverlap >= TimeSpan.Zero;

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt.</summary>
    public TimeSpan RetryDelay(long failures)
    {
        var doublings = (int)Math.Clamp(failures - 1, 0, 30);
        var delay = RetryBaseDelay * Math.Pow(2, doublings);
        return delay > RetryMaxDelay ? RetryMaxDelay : delay;
    }
}
