using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Knowledge;

/// <summary>Retrains the classifier after KB changes, and picks up changes (promoted models, labels) other nodes stored.</summary>
public sealed partial class KnowledgeBackground(KnowledgeRuntime knowledge, IOptions<KnowledgeOptions> options, TimeProvider time, ILogger<KnowledgeBackground> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var training = knowledge.RunTrainingAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ReloadCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await knowledge.ReloadIfChangedAsync(stoppingToken);
                    await knowledge.ReloadModelIfChangedAsync(stoppingToken);
                    await knowledge.ReloadLabelsIfChangedAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogReloadFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        try
        {
            await training;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Checking the stored knowledge base failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
