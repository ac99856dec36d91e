using System.Data.Common;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Dialogs;

/// <summary>Dialogs with the bot that went quiet, and their close by timeout (issue 19's bot idle rule).</summary>
public static class BotIdleStore
{
    /// <summary>
    /// Dialogs with the bot whose last message is at or before <paramref name="cutoff"/>, oldest first, leaving out
    /// those with a client message still waiting for its turn, an external agent's call still open, or an agent's
    /// asynchronous answer still awaited (its answer timeout applies).
    /// </summary>
    public static async Task<List<StoredDialog>> QuietAsync(DbConnection c, DbTransaction t, long cutoff, int limit) =>
        (await c.QueryAsync<StoredDialog>("""
            SELECT d.* FROM dialogs d
            WHERE d.state = 'bot' AND d.last_message_at <= @cutoff
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = d.conversation_id AND m.direction = 'in' AND m.processed_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM agent_calls a WHERE a.dialog_id = d.id AND (a.finished_at IS NULL OR a.answer_due_at IS NOT NULL))
            ORDER BY d.last_message_at, d.id LIMIT @limit
            """, new { cutoff, limit }, t)).AsList();

    /// <summary>
    /// Closes the dialog by timeout and drops the bot's memory of it, unless it changed since it was read (a turn,
    /// a handoff, or a client message that moved its last-message time): false then.
    /// </summary>
    public static async Task<bool> CloseAsync(DbConnection c, DbTransaction t, StoredDialog row, long now)
    {
        var closed = await c.ExecuteAsync("""
            UPDATE dialogs SET state = 'closed', closed_at = @now, closed_by = 'timeout', bot_state = '{}', version = version + 1
            WHERE id = @Id AND state = 'bot' AND version = @Version AND last_message_at = @LastMessageAt
            """, new { row.Id, row.Version, row.LastMessageAt, now }, t);
        if (closed == 0)
            return false;
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at, data) VALUES (@Id, 'closed', @now, 'bot_idle')", new { row.Id, now }, t);
        return true;
    }
}
