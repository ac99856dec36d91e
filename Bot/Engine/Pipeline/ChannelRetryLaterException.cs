namespace BotEngine.Engine.Pipeline;

/// <summary>A channel asked us to wait (Telegram's 429 with retry_after): the delivery is tried again after <see cref="RetryAfter"/>.</summary>
public sealed class ChannelRetryLaterException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
