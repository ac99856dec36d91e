using BotEngine.Engine.Pipeline;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// Runs webhook rounds: at once after something is committed (the change feed), else every
/// <see cref="WebhookOptions.PollInterval"/> (ratings, status changes and retries that fall due). With no subscription
/// enabled only the timer runs them: reading the subscriptions after every commit cost a query per message for
/// nothing, and a subscription captures from its creation, so the timer's round loses none of its events. A failed
/// round is logged and the next one runs.
/// </summary>
public sealed partial class WebhookLoop(WebhookDispatcher dispatcher, ChangeFeed feed, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = feed.Subscribe(16);
        while (!stoppingToken.IsCancellationRequested)
        {
            var round = WebhookRound.Done;
            try
            {
                round = await dispatcher.RunOnceAsync(stoppingToken);
                if (round == WebhookRound.More)
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
            if (round == WebhookRound.NoSubscriptions)
                await Task.WhenAny(delay);
            else
                await Task.WhenAny(delay, changes.Reader.WaitToReadAsync(wait.Token).AsTask());
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
