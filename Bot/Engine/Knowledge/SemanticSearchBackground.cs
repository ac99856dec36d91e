using System.Diagnostics;
using BotEngine.Engine.Learning;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// Embeds saved articles for the KB search by meaning, off the request path; nothing to do without an encoder. The
/// encoder's cache is filled from the database before the first batch, and each batch's new vectors are written there.
/// </summary>
public sealed partial class SemanticSearchBackground(
    KbSearchIndex search,
    IOptions<KnowledgeOptions> options,
    EmbeddingCaches caches,
    StoredEmbeddings stored,
    ILogger<SemanticSearchBackground> logger) : BackgroundService
{
    // Texts per encoder call: large enough to batch well, small enough that shutdown is not held up.
    private const int BatchTexts = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (search.Semantic is not { } semantic)
            return;
        var cache = caches.For(options.Value.SearchEncoder);
        // the host's start is not held up by the first batch
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await semantic.WhenQueuedAsync(stoppingToken);
                // reading the stored vectors loads no model: a KB without English never gets here
                await stored.LoadAsync(cache, stoppingToken);
                var started = Stopwatch.GetTimestamp();
                semantic.EmbedPending(BatchTexts, stoppingToken);
                var took = Stopwatch.GetElapsedTime(started);
                failures = 0;
                await stored.SaveAsync(cache, stoppingToken);
                // At most half a core: a large KB (10,000 articles take minutes) must not starve the turns.
                if (semantic.PendingCount > 0)
                    await Task.Delay(took, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Until it works (an encoder that cannot load fails every time), articles are found by their words.
                LogEmbeddingFailed(logger, e);
                var wait = TimeSpan.FromSeconds(Math.Min(300, 5 << Math.Min(failures++, 6)));
                await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Embedding articles for the search by meaning failed")]
    private static partial void LogEmbeddingFailed(ILogger logger, Exception exception);
}
