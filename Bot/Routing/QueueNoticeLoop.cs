using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Routing;

public sealed class QueueNoticeOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Refreshes what waiting clients were told: a dialog still queued a call centre's notice interval after its
/// last notice gets its current place in the queue and a new wait estimate.
/// </summary>
public sealed class QueueNoticeLoop(
    Database database,
    HandoffEntry entry,
    OutboxDispatcher outbox,
    TimeProvider time,
    IOptions<QueueNoticeOptions> options,
    ILogger<QueueNoticeLoop> logger) : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        return false;
    }

    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var sent = await database.WriteAsync(async (c, t) =>
        {
            var now = Time.NowMicros();
            var waiting = (await c.QueryAsync<DialogRow, long?, (DialogRow Row, long? LastNotice)>(
                "SELECT *, COALESCE(queue_notice_at, queued_at) AS last_notice FROM dialogs WHERE state = 'queued' ORDER BY queued_at LIMIT 500",
                (row, last) => (row, last), transaction: t, splitOn: "last_notice")).AsList();
            var messages = new List<MessageRow>();
            var intervals = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (row, last) in waiting)
            {
                var centre = row.CallCentre ?? CallCentres.Default;
                if (!intervals.TryGetValue(centre, out var interval))
                    intervals[centre] = interval = (long)(await HandoffStore.SettingsAsync(c, t, centre)).QueueNoticeInterval.TotalMicroseconds;
                if (interval <= 0 || last is null || now - last < interval)
                    continue;
                messages.Add(await entry.AppendQueueNoticeAsync(c, t, row));
                await c.ExecuteAsync("UPDATE dialogs SET queue_notice_at = @now WHERE id = @Id", new { now, row.Id }, t);
            }
            return messages;
        }, cancellationToken);
        await outbox.DeliverAsync(sent, cancellationToken);
        return sent.Count;
    }
}
