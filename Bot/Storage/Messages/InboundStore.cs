using System.Data.Common;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Messages;

/// <summary>
/// The statements that store a client's message: the hint read before the write, the known-dialog append, and the
/// lookups and inserts that resolve a new client, conversation and dialog inside the caller's transaction.
/// </summary>
public sealed class InboundStore(Database database)
{
    // The parts that the inbound statements share: the stored columns of a client's message, and PostgreSQL's first lock
    // for a known dialog (the dialog's row; the conversation's, whose sequence every append takes, comes after it).
    private const string InboundColumns =
        "id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, activity_type, channel_message_id, reply_to_id, created_at";
    private const string TouchKnownDialog =
        "UPDATE dialogs SET last_message_at = @Now WHERE id = @DialogId AND state <> 'closed' AND conversation_id = @ConversationId AND client_id = @AuthorId RETURNING id";

    /// <summary>
    /// One round trip: the message if it is a repeat, and the conversation's client, account and open dialog (the whole
    /// row, from which a turn can be planned before the write). The outer one-row select keeps a row for a new conversation.
    /// </summary>
    public async Task<InboundHint> ReadHintAsync(string conversationId, string? channelMessageId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<InboundHint, StoredDialog, InboundHint>("""
            SELECT c.client_id, c.account_id, d.id AS dialog_id, e.id AS existing_id, e.dialog_id AS existing_dialog_id, d.*
            FROM (SELECT CAST(@conversationId AS TEXT) AS id) k
            LEFT JOIN conversations c ON c.id = k.id
            LEFT JOIN dialogs d ON d.client_id = c.client_id AND d.state <> 'closed' AND d.conversation_id = c.id
            LEFT JOIN messages e ON e.conversation_id = k.id AND e.channel_message_id = @channelMessageId
            """, (hint, dialog) =>
            {
                hint.Dialog = dialog;
                return hint;
            }, new { conversationId, channelMessageId }, splitOn: "id"), cancellationToken)).Single();

    /// <summary>The stored copy of a channel's message (id and dialog), or null.</summary>
    public Task<(string Id, string DialogId)?> FindByChannelIdAsync(string conversationId, string channelMessageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var existing = await c.QueryFirstOrDefaultAsync<(string Id, string DialogId)>(
                "SELECT id, dialog_id FROM messages WHERE conversation_id = @conversationId AND channel_message_id = @channelMessageId",
                new { conversationId, channelMessageId });
            return existing.Id is null ? ((string, string)?)null : existing;
        }, cancellationToken);

    /// <summary>
    /// PostgreSQL only, one statement: moves the open dialog's last-message time, takes the conversation's next
    /// sequence and stores the message, in that lock order, only if the dialog is still open here and still the
    /// message's client's (a merge of clients moves it).
    /// </summary>
    public Task<KnownDialogAppend> AppendToKnownDialogAsync(DbConnection c, DbTransaction t, InboundMessageRow row) =>
        c.QuerySingleAsync<KnownDialogAppend>($"""
            WITH d AS (
              {TouchKnownDialog}),
            s AS (
              UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @ConversationId AND EXISTS (SELECT 1 FROM d) RETURNING next_seq),
            m AS (
              INSERT INTO messages ({InboundColumns})
              SELECT @Id, @DialogId, @ConversationId, @Channel, s.next_seq, 'in', 'client', @AuthorId, @Text, @Activity, @ActivityType, @ChannelMessageId, NULL, @Now FROM s
              ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
              RETURNING seq)
            SELECT (SELECT COUNT(*) FROM d) AS dialog_matched, (SELECT seq FROM m) AS seq
            """, row, t);

    /// <summary>
    /// PostgreSQL only, one statement: moves the open dialog's last-message time and takes the conversation's next
    /// sequence (and <paramref name="reserve"/> more after it, for the replies of a turn planned ahead), in that lock
    /// order, only if the dialog is still open here and still the message's client's; the message's sequence, or null
    /// when the dialog no longer matches (nothing is changed then).
    /// </summary>
    public Task<long?> TakeKnownDialogAsync(DbConnection c, DbTransaction t, InboundMessageRow row, int reserve) =>
        c.ExecuteScalarAsync<long?>($"""
            WITH d AS (
              {TouchKnownDialog})
            UPDATE conversations SET next_seq = next_seq + 1 + @Reserve WHERE id = @ConversationId AND EXISTS (SELECT 1 FROM d) RETURNING next_seq - @Reserve
            """, new { row.Now, row.DialogId, row.ConversationId, row.AuthorId, Reserve = reserve }, t);

    /// <summary>
    /// Stores a message whose turn was planned ahead, already marked processed when that turn may commit with it: no
    /// earlier message of the conversation waits, no agent call is open, and the dialog is with the bot at
    /// <paramref name="version"/>. The caller took the dialog's and the conversation's locks first (the append's
    /// order), so the answer holds until the commit; on SQLite the one writer runs one transaction at a time. Null when
    /// the channel's message id is already stored (a repeat); else whether the message was marked processed.
    /// </summary>
    public async Task<bool?> InsertAsNextTurnAsync(DbConnection c, DbTransaction t, InboundMessageRow row, long version)
    {
        // The WHERE keeps SQLite from reading ON CONFLICT as a join's ON.
        var stored = (await c.QueryAsync<long?>($"""
            INSERT INTO messages ({InboundColumns}, processed_at)
            SELECT @Id, @DialogId, @ConversationId, @Channel, @Seq, 'in', 'client', @AuthorId, @Text, @Activity, @ActivityType, @ChannelMessageId, NULL, @Now,
                   CASE WHEN EXISTS (SELECT 1 FROM dialogs WHERE id = @DialogId AND version = @Version AND state = 'bot')
                     AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = @ConversationId AND direction = 'in' AND processed_at IS NULL)
                     AND NOT EXISTS (SELECT 1 FROM agent_calls WHERE dialog_id = @DialogId AND finished_at IS NULL) THEN @Now END
            WHERE 1 = 1
            ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
            RETURNING processed_at
            """, new
            {
                row.Id, row.DialogId, row.ConversationId, row.Channel, row.Seq, row.AuthorId, row.Text, row.Activity, row.ActivityType, row.ChannelMessageId,
                row.Now, Version = version,
            }, t)).AsList();
        return stored.Count == 0 ? null : stored[0] is not null;
    }

    /// <summary>
    /// Moves the dialog's last-message time if it is still open in this conversation (and still
    /// <paramref name="clientId"/>'s, when given); false otherwise.
    /// </summary>
    public async Task<bool> TouchOpenDialogAsync(DbConnection c, DbTransaction t, string dialogId, string conversationId, string? clientId, long now) =>
        await c.ExecuteAsync(clientId is null
                ? "UPDATE dialogs SET last_message_at = @now WHERE id = @dialogId AND state <> 'closed' AND conversation_id = @conversationId"
                : "UPDATE dialogs SET last_message_at = @now WHERE id = @dialogId AND state <> 'closed' AND conversation_id = @conversationId AND client_id = @clientId",
            new { now, dialogId, conversationId, clientId }, t) == 1;

    public Task TouchDialogAsync(DbConnection c, DbTransaction t, string dialogId, long now) =>
        c.ExecuteAsync("UPDATE dialogs SET last_message_at = @now WHERE id = @dialogId", new { now, dialogId }, t);

    /// <summary>The client behind a channel account, created with the account when the channel has not seen it.</summary>
    public async Task<string> ResolveClientAsync(DbConnection c, DbTransaction t, string channel, string accountId, string? accountName, long now)
    {
        var clientId = await c.ExecuteScalarAsync<string?>(
            "SELECT client_id FROM channel_accounts WHERE channel = @channel AND account_id = @accountId", new { channel, accountId }, t);
        if (clientId is not null)
            return clientId;

        clientId = Ids.New();
        await c.ExecuteAsync("INSERT INTO clients (id, display_name, created_at, updated_at, search_text) VALUES (@clientId, @accountName, @now, @now, @searchText)",
            new { clientId, accountName, now, searchText = accountName?.ToLowerInvariant() ?? "" }, t);
        await c.ExecuteAsync("""
            INSERT INTO channel_accounts (channel, account_id, client_id, display_name, created_at)
            VALUES (@channel, @accountId, @clientId, @accountName, @now)
            """, new { channel, accountId, clientId, accountName, now }, t);
        return clientId;
    }

    /// <summary>Creates the conversation or binds an unbound one to the account; returns the account it is bound to now.</summary>
    public async Task<string?> BindConversationAsync(
        DbConnection c, DbTransaction t, string conversationId, string channel, string accountId, string clientId, long now)
    {
        await c.ExecuteAsync("""
            INSERT INTO conversations (id, channel, account_id, client_id, created_at) VALUES (@conversationId, @channel, @accountId, @clientId, @now)
            ON CONFLICT (id) DO NOTHING
            """, new { conversationId, channel, accountId, clientId, now }, t);
        await c.ExecuteAsync(
            "UPDATE conversations SET account_id = @accountId, client_id = @clientId WHERE id = @conversationId AND client_id IS NULL",
            new { conversationId, accountId, clientId }, t);
        return await c.ExecuteScalarAsync<string?>("SELECT account_id FROM conversations WHERE id = @conversationId", new { conversationId }, t);
    }

    /// <summary>
    /// The client's open dialog, moved to this conversation if it was open elsewhere (one dialog follows the client
    /// across channels), or a new one in the call centre and line the channel is bound to.
    /// </summary>
    public async Task<string> OpenDialogAsync(
        DbConnection c, DbTransaction t, string clientId, string conversationId, string channel, string language, long now)
    {
        var dialog = await c.QueryFirstOrDefaultAsync<(string Id, string ConversationId)>(
            "SELECT id, conversation_id FROM dialogs WHERE client_id = @clientId AND state <> 'closed'", new { clientId }, t);
        if (dialog.Id is not null)
        {
            if (dialog.ConversationId != conversationId)
            {
                await c.ExecuteAsync("UPDATE dialogs SET conversation_id = @conversationId, channel = @channel WHERE id = @Id",
                    new { conversationId, channel, dialog.Id }, t);
            }
            return dialog.Id;
        }

        var id = Ids.New();
        await c.ExecuteAsync("""
            INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, bot_state, last_message_at, call_centre, line)
            SELECT @id, @clientId, @conversationId, @channel, 'bot', @language, @now, '{}', @now,
                   (SELECT call_centre FROM channel_bindings WHERE channel = @channel), (SELECT line FROM channel_bindings WHERE channel = @channel)
            """, new { id, clientId, conversationId, channel, language, now }, t);
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at) VALUES (@id, 'opened', @now)", new { id, now }, t);
        return id;
    }

    /// <summary>Stores the message; 0 when the channel's message id is already stored (a repeat).</summary>
    public Task<int> InsertAsync(DbConnection c, DbTransaction t, InboundMessageRow row) =>
        c.ExecuteAsync($"""
            INSERT INTO messages ({InboundColumns})
            VALUES (@Id, @DialogId, @ConversationId, @Channel, @Seq, 'in', 'client', @AuthorId, @Text, @Activity, @ActivityType, @ChannelMessageId, NULL, @Now)
            ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
            """, row, t);
}
