using Microsoft.Extensions.Hosting;

namespace BotEngine.Engine.Channels;

/// <summary>
/// Keeps one loop running on this node per configured channel that wants one (a polling loop, a registration), and
/// follows configuration changes without a restart: a channel saved again gets its loop stopped and started anew, a
/// channel disabled or removed gets its loop stopped. The derived host says which channels want a loop and what it does.
/// </summary>
public abstract class ChannelLoopHost(ChannelDirectory channels) : BackgroundService
{
    private readonly Dictionary<string, (DateTimeOffset Version, CancellationTokenSource Stop, Task Loop)> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reconcile = new(1, 1);
    private CancellationToken _stopping;

    /// <summary>Whether this channel needs a loop on this node.</summary>
    protected abstract bool Wants(ChannelInstance channel);

    /// <summary>The channel's loop, until it is cancelled (a change of the channel, or the node stopping).</summary>
    protected abstract Task RunAsync(ChannelInstance channel, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        channels.Changed += OnChanged;
        try
        {
            await ReconcileAsync();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            channels.Changed -= OnChanged;
            foreach (var (_, stop, _) in _running.Values)
                await stop.CancelAsync();
            await Task.WhenAll(_running.Values.Select(r => r.Loop));
        }
    }

    private void OnChanged() => _ = ReconcileAsync();

    private async Task ReconcileAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        try
        {
            await _reconcile.WaitAsync(_stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            var wanted = channels.All.Where(c => c.Enabled && Wants(c)).ToDictionary(c => c.Id);
            foreach (var (id, running) in _running.ToList())
            {
                if (wanted.TryGetValue(id, out var now) && now.UpdatedAt == running.Version)
                    continue;
                await running.Stop.CancelAsync();
                await running.Loop;
                _running.Remove(id);
            }
            foreach (var channel in wanted.Values.Where(c => !_running.ContainsKey(c.Id)))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                _running[channel.Id] = (channel.UpdatedAt, stop, RunAsync(channel, stop.Token));
            }
        }
        finally
        {
            _reconcile.Release();
        }
    }
}
