using System.Threading.Channels;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Runs turns in order per conversation and in parallel across conversations: each conversation hashes to
/// one lane, and a lane handles one conversation at a time. A conversation scheduled twice before its lane
/// gets to it runs once and picks up all its pending messages.
/// </summary>
public sealed partial class TurnScheduler : BackgroundService
{
    private readonly Channel<string>[] _lanes;
    private readonly HashSet<string> _pending = [];
    private readonly Lock _pendingGate = new();
    private readonly IServiceProvider _services;
    private readonly TurnSchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TurnScheduler> _logger;

    public TurnScheduler(IServiceProvider services, Microsoft.Extensions.Options.IOptions<TurnSchedulerOptions> options, TimeProvider time, ILogger<TurnScheduler> logger)
    {
        _services = services;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _lanes = Enumerable.Range(0, Math.Max(1, _options.Partitions))
            .Select(_ => Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true }))
            .ToArray();
    }

    public void Schedule(string conversationId)
    {
        lock (_pendingGate)
        {
            if (!_pending.Add(conversationId))
                return;
        }
        var lane = (int)((uint)StringComparer.Ordinal.GetHashCode(conversationId) % (uint)_lanes.Length);
        _lanes[lane].Writer.TryWrite(conversationId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var processor = _services.GetRequiredService<TurnProcessor>();
        var workers = _lanes.Select(lane => RunLaneAsync(lane.Reader, processor, stoppingToken)).ToList();
        workers.Add(RecoverAsync(processor, stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task RunLaneAsync(ChannelReader<string> lane, TurnProcessor processor, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var conversationId in lane.ReadAllAsync(stoppingToken))
            {
                lock (_pendingGate)
                    _pending.Remove(conversationId);
                try
                {
                    await processor.ProcessConversationAsync(conversationId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failing turn is handled inside (retried, then parked); this is storage failing. The sweep comes back.
                    LogTurnFailed(_logger, ex, conversationId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Picks up what a crash or a failed turn left unprocessed.</summary>
    private async Task RecoverAsync(TurnProcessor processor, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var conversationId in await processor.FindUnprocessedConversationsAsync(stoppingToken))
                        Schedule(conversationId);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRecoveryFailed(_logger, ex);
                }
                await Task.Delay(_options.RecoveryInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Processing conversation {ConversationId} failed")]
    private static partial void LogTurnFailed(ILogger logger, Exception ex, string conversationId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Recovery sweep failed")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception ex);
}
