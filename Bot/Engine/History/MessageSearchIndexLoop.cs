using BotEngine.Engine.Pipeline;
using BotEngine.Storage.History;

namespace BotEngine.Engine.History;

/// <summary>Keeps SQLite's history index a quarter of a second behind the messages (a history search catches it up first).</summary>
public sealed class MessageSearchIndexLoop(MessageSearchIndex index, TimeProvider time, ILogger<MessageSearchIndexLoop> logger) : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(250);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await index.CatchUpAsync(cancellationToken);
        return false;
    }
}
