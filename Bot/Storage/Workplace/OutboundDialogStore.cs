using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Workplace;

/// <summary>What starting a dialog with a client from the workplace reads and writes, in the caller's transaction.</summary>
public static class OutboundDialogStore
{
    public static async Task<bool> ClientExistsAsync(DbConnection c, DbTransaction t, string clientId) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM clients WHERE id = @clientId", new { clientId }, t) > 0;

    /// <summary>The client's open dialog (any state but closed), if there is one: a client has one open dialog at a time.</summary>
    public static Task<string?> OpenDialogIdAsync(DbConnection c, DbTransaction t, string clientId) =>
        c.QueryFirstOrDefaultAsync<string?>("SELECT id FROM dialogs WHERE client_id = @clientId AND state <> 'closed'", new { clientId }, t);

    /// <summary>The client's conversation they last wrote from (or were written to), with its channel; Id null when the client has none.</summary>
    public static Task<(string? Id, string? Channel)> LatestConversationAsync(DbConnection c, DbTransaction t, string clientId) =>
        c.QueryFirstOrDefaultAsync<(string? Id, string? Channel)>(
            """
            SELECT cv.id, cv.channel FROM conversations cv
            WHERE cv.client_id = @clientId
            ORDER BY COALESCE((SELECT MAX(d.last_message_at) FROM dialogs d WHERE d.conversation_id = cv.id), cv.created_at) DESC, cv.id
            LIMIT 1
            """, new { clientId }, t);

    /// <summary>The language of the client's last dialog, if any.</summary>
    public static Task<string?> LastLanguageAsync(DbConnection c, DbTransaction t, string clientId) =>
        c.QueryFirstOrDefaultAsync<string?>("SELECT language FROM dialogs WHERE client_id = @clientId ORDER BY opened_at DESC, id LIMIT 1", new { clientId }, t);

    /// <summary>A new dialog with the bot on the conversation, in the call centre and line its channel is bound to (handed to the operator next).</summary>
    public static async Task<string> CreateAsync(DbConnection c, DbTransaction t, string clientId, string conversationId, string channel, string language, long now)
    {
        var id = Ids.New();
        await c.ExecuteAsync(
            """
            INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, bot_state, last_message_at, call_centre, line)
            SELECT @id, @clientId, @conversationId, @channel, 'bot', @language, @now, '{"greeted":true}', @now,
                   (SELECT call_centre FROM channel_bindings WHERE channel = @channel), (SELECT line FROM channel_bindings WHERE channel = @channel)
            """, new { id, clientId, conversationId, channel, language, now }, t);
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at) VALUES (@id, 'opened', @now)", new { id, now }, t);
        return id;
    }
}
