using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Statistics;

namespace BotEngine.Engine.Statistics;

/// <summary>
/// Stores the statistics facts of closed dialogs (<see cref="StatisticsStore.StoreFactsAsync"/>) a minute after they
/// close, when nothing more is written to them, so figures over a month read one row per dialog. It starts from the
/// beginning on every start of the node (a database upgraded from an older schema gets all its facts), then goes on
/// from the closings it has seen, looking back <see cref="Overlap"/> for closings committed late.
/// </summary>
public sealed class StatisticsFactsLoop(StatisticsStore store, TimeProvider time, ILogger<StatisticsFactsLoop> logger) : PeriodicWorker(time, logger)
{
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(10);
    private const int BatchSize = 2000;
    private long _since;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var before = TimeExtensions.ToMicros(Time.GetUtcNow() - Settle);
        var stored = await store.StoreFactsAsync(_since, before, BatchSize, cancellationToken);
        if (stored < BatchSize)
            _since = Math.Max(0, before - TimeExtensions.ToMicros(DateTimeOffset.UnixEpoch + Overlap));
        return stored == BatchSize;
    }
}
