using BotEngine.Engine.Pipeline;

namespace BotEngine.Engine.Channels;

/// <summary>Picks up channel changes made on another node (this node's own changes refresh the directory at once).</summary>
public sealed class ChannelRefreshLoop(ChannelDirectory channels, TimeProvider time, ILogger<ChannelRefreshLoop> logger) : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(15);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await channels.RefreshAsync(cancellationToken);
        return false;
    }
}
