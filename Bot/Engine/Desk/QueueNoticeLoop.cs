using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Checks the waiting dialogs every <see cref="QueueNoticeOptions.PollInterval"/> and sends the notices that are due
/// (<see cref="QueueNotices.RefreshAsync"/>): a client hears again only when its place or its estimate changed.
/// </summary>
public sealed class QueueNoticeLoop(
    Database database,
    DeskLocks locks,
    QueueNotices notices,
    EffectsPublisher effects,
    TimeProvider time,
    IOptions<QueueNoticeOptions> options,
    ILogger<QueueNoticeLoop> logger) : PeriodicWorker(time, logger)
{
    /// <summary>Notices written per transaction; a full round runs the next one at once.</summary>
    private const int Limit = 500;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) =>
        await RefreshAsync(cancellationToken) >= Limit;

    /// <summary>One round; the number of notices sent.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var sent = await database.WriteAsync(async (c, t) =>
        {
            // Nodes sharing PostgreSQL take turns, so two of them never tell a client the same change twice.
            await locks.LockQueueNoticesAsync(c, t);
            return await notices.RefreshAsync(c, t, Limit);
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects { Sent = sent }, cancellationToken);
        return sent.Count;
    }
}
