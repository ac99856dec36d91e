using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Fires due timers on every node. A timer row is taken under a row lock (SKIP LOCKED on PostgreSQL, the single
/// writer on SQLite) in the transaction that handles it, so a timer fires on one node, and a killed node's timers
/// are still in the table for the others.
/// </summary>
public sealed class TimerLoop(
    Database database,
    DialogTimers timers,
    DialogTimerStore timerStore,
    EffectsPublisher effects,
    TimeProvider time,
    IOptions<TimerLoopOptions> options,
    ILogger<TimerLoop> logger) : PeriodicWorker(time, logger)
{
    /// <summary>Timers fired per transaction.</summary>
    private const int BatchSize = 50;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) => await FireDueAsync(cancellationToken) > 0;

    /// <summary>Fires up to a batch of due timers; returns how many it fired.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(async (c, t) =>
        {
            var now = Time.NowMicros();
            var due = await timerStore.TakeDueAsync(c, t, now, BatchSize);
            var sent = new List<StoredMessage>();
            var changed = new List<string>();
            var requeued = false;
            var agentCalled = false;
            foreach (var (dialogId, kind) in due)
            {
                // Handling replaces the dialog's timer rows, the fired one included.
                await DialogTimerStore.DeleteAsync(c, t, dialogId, kind);
                var row = await HandoffStore.LoadRowAsync(c, t, dialogId);
                if (row is null || !Enum.TryParse<TimerKind>(kind, out var timerKind))
                    continue;
                var effects = await timers.ApplyAsync(c, t, row, new TimerEvent.Fired(timerKind));
                sent.AddRange(effects.Sent);
                requeued |= effects.Requeued || effects.Released;
                agentCalled |= effects.AgentCalled;
                if (effects.Requeued || effects.Released)
                    changed.Add(dialogId);
            }
            return (Count: due.Count, Sent: sent, Changed: changed, Requeued: requeued, AgentCalled: agentCalled);
        }, cancellationToken);

        await effects.PublishAsync(new CommittedEffects
        {
            Sent = result.Sent,
            Changed = [.. result.Changed.Select(id => new FeedEvent.DialogChanged(id, "changed", null))],
            NeedsRouting = result.Requeued,
            AgentCalled = result.AgentCalled,
        }, cancellationToken);
        return result.Count;
    }

}
