namespace BotEngine.Engine.Pipeline;

/// <summary>
/// A background loop that does one round of work, waits, and does it again until the host stops. A failed round
/// is logged and the next one runs on schedule: these loops are safety nets and must never die.
/// </summary>
public abstract partial class PeriodicWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One round; true when there may be more to do at once (the wait is skipped).</summary>
    protected abstract Task<bool> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken))
                    continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex, GetType().Name);
            }
            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "A round of {Worker} failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex, string worker);
}
