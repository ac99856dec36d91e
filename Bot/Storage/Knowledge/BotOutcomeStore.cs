using System.Data.Common;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Knowledge;

/// <summary>
/// What a bot turn's outcome writes to its dialog besides the state and the replies: a callback request, or the
/// close by the bot, each with its dialog event. Runs in the caller's transaction (the turn's, or an agent's actions').
/// </summary>
public static class BotOutcomeStore
{
    /// <summary>A callback request on <paramref name="line"/> with the client's contacts (JSON), and its event.</summary>
    public static async Task AddCallbackRequestAsync(DbConnection c, DbTransaction t, StoredDialog dialog, string? line, string contacts, long now)
    {
        await c.ExecuteAsync("""
            INSERT INTO callback_requests (id, dialog_id, client_id, line, contacts, state, created_at)
            VALUES (@id, @DialogId, @ClientId, @Line, @contacts, 'new', @now)
            """, new { id = Ids.New(), DialogId = dialog.Id, dialog.ClientId, Line = line, contacts, now }, t);
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at, data) VALUES (@Id, 'callback_requested', @now, @Line)",
            new { dialog.Id, now, Line = line }, t);
    }

    /// <summary>
    /// The client's message <paramref name="messageId"/> was not understood (<c>not_understood</c>) or handed off
    /// (<c>handed_off</c>): it goes to the labelling inbox. A replayed turn records it once.
    /// </summary>
    public static Task AddMissAsync(DbConnection c, DbTransaction t, string messageId, string dialogId, string kind, long now) =>
        c.ExecuteAsync("""
            INSERT INTO bot_misses (message_id, dialog_id, kind, at) VALUES (@messageId, @dialogId, @kind, @now) ON CONFLICT (message_id) DO NOTHING
            """, new { messageId, dialogId, kind, now }, t);

    /// <summary>Closes the dialog as the bot (a new version), and its event.</summary>
    public static async Task CloseByBotAsync(DbConnection c, DbTransaction t, string dialogId, long now)
    {
        await c.ExecuteAsync("""
            UPDATE dialogs SET state = 'closed', closed_at = @now, closed_by = 'bot', version = version + 1 WHERE id = @Id
            """, new { Id = dialogId, now }, t);
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at) VALUES (@Id, 'closed', @now)", new { Id = dialogId, now }, t);
    }
}
