using BotEngine.Engine.Pipeline;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// Runs webhook rounds: at once after something is committed (the change feed), else every
/// <see cref="WebhookOptions.PollInterval"/> (ratings, status changes and retries that fall due). A failed round is
/// logged and the next one runs.
/// </summary>
public sealed partial class WebhookLoop(WebhookDispatcher dispatcher, ChangeFeed feed, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = feed.Subscribe(16);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.RunOnceAsync(stoppingToken))
                    continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.PollInterval, time, wait.Token);
            var changed = changes.Reader.WaitToReadAsync(wait.Token).AsTask();
            await Task.WhenAny(delay, changed);
            await wait.CancelAsync();
            while (changes.Reader.TryRead(out _))
            {
            }
            if (stoppingToken.IsCancellationRequested)
                return;
        }
    }

    [LoggerMessage(EventId = 1603, Level = LogLevel.Error, Message = "A round of webhook deliveries failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);
}
