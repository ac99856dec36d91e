using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Tells waiting clients their place in the queue and the estimated wait, as the routing core computes them
/// (<see cref="WaitEstimator"/>): once when the dialog enters the queue, then again only when
/// <see cref="WaitEstimator.ShouldNotify"/> says the place or the estimate changed. What a client was told is
/// recorded as a <c>queue_notice</c> event at <c>dialogs.queue_notice_at</c>, so any node can compare against it.
/// </summary>
public sealed class QueueNotices(OutboundWriter writer, SystemTexts texts, TimeProvider time)
{
    public const string EventKind = QueueNoticeStore.EventKind;

    /// <summary>The first notice of a dialog that has just entered the queue, inside the transaction that queued it.</summary>
    public async Task<StoredMessage> NoticeAsync(DbConnection c, DbTransaction t, StoredDialog row)
    {
        var now = time.GetUtcNow();
        var queued = await QueueReading.QueuedAsync(c, t);
        var operators = await QueueReading.WorkingOperatorsAsync(c, t);
        var stats = await QueueReading.StatsAsync(c, t, now);
        var places = WaitEstimator.Estimate(queued.Select(QueueReading.ToQueued).OfType<QueuedDialog>().ToList(), operators, stats, now);
        // The dialog was queued in this transaction, so it is among the places; the fallback only guards a row not saved as queued.
        var place = places.FirstOrDefault(p => p.DialogId == row.Id) ?? new QueuePlace(row.Id, places.Count + 1, null);
        return await SendAsync(c, t, row, place, now);
    }

    /// <summary>
    /// Sends the notices that are due: to each waiting dialog whose place or estimate changed since its last notice
    /// (and not sooner than its call centre's <see cref="CallCentreSettings.QueueNoticeInterval"/>), or that was
    /// never told in this stay in the queue. At most <paramref name="limit"/> notices per call.
    /// </summary>
    public async Task<List<StoredMessage>> RefreshAsync(DbConnection c, DbTransaction t, int limit)
    {
        var sent = new List<StoredMessage>();
        var queued = await QueueReading.QueuedAsync(c, t);
        if (queued.Count == 0)
            return sent;
        var now = time.GetUtcNow();
        var operators = await QueueReading.WorkingOperatorsAsync(c, t);
        var stats = await QueueReading.StatsAsync(c, t, now);
        var rows = queued.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var places = WaitEstimator.Estimate(queued.Select(QueueReading.ToQueued).OfType<QueuedDialog>().ToList(), operators, stats, now);
        var told = await QueueNoticeStore.LastNoticesAsync(c, t);
        var intervals = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var place in places)
        {
            if (sent.Count >= limit)
                break;
            var row = rows[place.DialogId];
            var centre = row.CallCentre ?? CallCentres.Default;
            if (!intervals.TryGetValue(centre, out var interval))
                intervals[centre] = interval = (await CallCentreStore.LoadSettingsAsync(c, t, centre)).QueueNoticeInterval;
            var wasTold = told.TryGetValue(place.DialogId, out var last);
            if (WaitEstimator.ShouldNotify(place, wasTold ? last.Place : null, wasTold ? last.At : null, now, interval))
                sent.Add(await SendAsync(c, t, row, place, now));
        }
        return sent;
    }

    public string Text(QueuePlace place, string language) => place.EstimatedWait is { } wait
        ? texts.Get("queue.position_wait", language, place.Position, Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes)))
        : texts.Get("queue.position", language, place.Position);

    private async Task<StoredMessage> SendAsync(DbConnection c, DbTransaction t, StoredDialog row, QueuePlace place, DateTimeOffset now)
    {
        var message = await writer.AppendAsync(c, t, row, BotResponder.SystemMessage(Text(place, row.Language)), null);
        await QueueNoticeStore.RecordAsync(c, t, row.Id, place, TimeExtensions.ToMicros(now));
        return message;
    }
}
