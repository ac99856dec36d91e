using System.Data.Common;
using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>
/// What waiting clients were told of their place in the queue: a <c>queue_notice</c> event per notice, and the time of
/// the last one in <c>dialogs.queue_notice_at</c>.
/// </summary>
public static class QueueNoticeStore
{
    public const string EventKind = "queue_notice";

    public static Task RecordAsync(DbConnection c, DbTransaction t, string dialogId, QueuePlace place, long at)
    {
        var data = JsonSerializer.Serialize(new ToldPlace(place.Position, place.EstimatedWait?.TotalSeconds), HandoffStore.Json);
        return c.ExecuteAsync("""
            UPDATE dialogs SET queue_notice_at = @at WHERE id = @Id;
            INSERT INTO dialog_events (dialog_id, kind, at, data) VALUES (@Id, @EventKind, @at, @data);
            """, new { at, Id = dialogId, EventKind, data }, t);
    }

    /// <summary>
    /// What each waiting client was last told in its current stay in the queue. A notice from before the dialog last
    /// entered the queue (it was queued or assigned after it) does not count: the client is told afresh.
    /// </summary>
    public static async Task<Dictionary<string, (QueuePlace Place, DateTimeOffset At)>> LastNoticesAsync(DbConnection c, DbTransaction t)
    {
        var rows = await c.QueryAsync<(string DialogId, long At, string Data)>($"""
            SELECT e.dialog_id, e.at, e.data FROM dialog_events e JOIN dialogs d ON d.id = e.dialog_id
            WHERE d.state = '{DialogStates.Queued}' AND e.kind = @EventKind AND e.at = d.queue_notice_at
              AND d.queue_notice_at >= COALESCE(d.queued_at, 0) AND d.queue_notice_at >= COALESCE(d.assigned_at, 0)
            """, new { EventKind }, t);
        var result = new Dictionary<string, (QueuePlace, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var (dialogId, at, data) in rows)
        {
            var told = JsonSerializer.Deserialize<ToldPlace>(data, HandoffStore.Json)!;
            var wait = told.EstimatedWaitSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            result[dialogId] = (new QueuePlace(dialogId, told.Position, wait), TimeExtensions.FromMicros(at));
        }
        return result;
    }

    private sealed record ToldPlace(int Position, double? EstimatedWaitSeconds);
}
