using System.Data.Common;
using System.Globalization;
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
    /// Takes the place of a message whose turn was planned ahead in its known dialog, and says whether that turn may
    /// commit with it. First the dialog's row lock (the dialog still open here and still the message's client's: a merge
    /// of clients moves it), then the conversation's next sequence and <paramref name="reserve"/> more after it for the
    /// turn's replies, in the append's lock order; then, under those locks, the check: no earlier message of the
    /// conversation waits, no agent call is open, and the dialog is with the bot at <paramref name="version"/>. One round
    /// trip on PostgreSQL (the check is a statement of its own, so it reads what committed before the locks were
    /// granted); one statement on SQLite. The dialog's row is not written: the turn's state update moves its
    /// last-message time, or <see cref="AddTouch"/> when the turn does not commit. Null, with nothing changed, when the
    /// dialog no longer matches.
    /// </summary>
    public static async Task<TurnPlace?> TakeTurnPlaceAsync(DbConnection c, DbTransaction t, InboundMessageRow row, int reserve, long version)
    {
        var place = new PlaceQuery(row.DialogId!, row.ConversationId, row.AuthorId!, reserve, version);
        var batch = SqlBatch.For(c);
        if (!batch.IsPostgres)
        {
            // SQLite's one writer runs one transaction at a time, so the check may go with the sequence's statement.
            var taken = (await c.QueryAsync<(long Seq, long MayCommit)>($"""
                UPDATE conversations SET next_seq = next_seq + 1 + @Reserve WHERE id = @ConversationId
                  AND EXISTS (SELECT 1 FROM dialogs WHERE id = @DialogId AND state <> 'closed' AND conversation_id = @ConversationId AND client_id = @AuthorId)
                RETURNING next_seq - @Reserve AS seq, {NextTurnCheck} AS may_commit
                """, place, t)).AsList();
            return taken.Count == 0 ? null : new TurnPlace(taken[0].Seq, taken[0].MayCommit == 1);
        }
        batch.Add("""
            WITH d AS (
              SELECT id FROM dialogs WHERE id = @DialogId AND state <> 'closed' AND conversation_id = @ConversationId AND client_id = @AuthorId FOR NO KEY UPDATE)
            UPDATE conversations SET next_seq = next_seq + 1 + @Reserve WHERE id = @ConversationId AND EXISTS (SELECT 1 FROM d) RETURNING next_seq - @Reserve
            """, place);
        batch.Add($"SELECT {NextTurnCheck}", place);
        var values = await batch.ExecuteScalarsAsync(c, t);
        return values[0] is null ? null : new TurnPlace(Convert.ToInt64(values[0], CultureInfo.InvariantCulture), Convert.ToInt64(values[1], CultureInfo.InvariantCulture) == 1);
    }

    /// <summary>1 when a turn planned at <c>@Version</c> may commit with its message; else 0.</summary>
    private const string NextTurnCheck = """
        CASE WHEN EXISTS (SELECT 1 FROM dialogs WHERE id = @DialogId AND version = @Version AND state = 'bot')
          AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = @ConversationId AND direction = 'in' AND processed_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM agent_calls WHERE dialog_id = @DialogId AND finished_at IS NULL) THEN 1 ELSE 0 END
        """;

    private sealed record PlaceQuery(string DialogId, string ConversationId, string AuthorId, int Reserve, long Version);

    /// <summary>
    /// Adds the message's insert to a batch, marked processed when its turn commits with it; the statement's row count is
    /// 0 when the channel's message id is already stored (a repeat). Returns the statement's index.
    /// </summary>
    public static int AddInsert(SqlBatch batch, InboundMessageRow row, bool processed) =>
        batch.Add(processed
            ? $"""
               INSERT INTO messages ({InboundColumns}, processed_at)
               VALUES (@Id, @DialogId, @ConversationId, @Channel, @Seq, 'in', 'client', @AuthorId, @Text, @Activity, @ActivityType, @ChannelMessageId, NULL, @Now, @Now)
               ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
               """
            : $"""
               INSERT INTO messages ({InboundColumns})
               VALUES (@Id, @DialogId, @ConversationId, @Channel, @Seq, 'in', 'client', @AuthorId, @Text, @Activity, @ActivityType, @ChannelMessageId, NULL, @Now)
               ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING
               """, row);

    /// <summary>Adds the move of the message's dialog's last-message time to a batch.</summary>
    public static void AddTouch(SqlBatch batch, InboundMessageRow row) =>
        batch.Add("UPDATE dialogs SET last_message_at = @Now WHERE id = @DialogId", row);

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
}
