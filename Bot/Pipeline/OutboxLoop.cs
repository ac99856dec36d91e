using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Pipeline;

/// <summary>Retries what the fast path could not deliver, and what a crash left in the outbox.</summary>
public sealed partial class OutboxLoop(OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.SweepAsync(stoppingToken);
                await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, ex);
                await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "Outbox sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
