using System.Data.Common;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Stores an inbound activity durably and idempotently before the channel acknowledges it: resolves the
/// client and its open dialog (one dialog follows the client across channels), then schedules the turn.
/// </summary>
public sealed class InboundGateway(Database database, TimeProvider time, TurnScheduler scheduler, ChangeFeed feed)
{
    public async Task<InboundReceipt> AcceptAsync(InboundActivity inbound, InboundEcho? echo, CancellationToken cancellationToken)
    {
        // Everything that needs no database is done before the write, to keep the single writer's work short.
        var now = time.NowMicros();
        var activity = inbound.Activity;
        activity.Id = Ids.New();
        activity.Timestamp = TimeExtensions.FromMicros(now);
        activity.ChannelId = inbound.Channel;
        activity.Conversation ??= new ConversationAccount();
        activity.Conversation.Id = inbound.ConversationId;
        var stored = new StoredActivity(activity, ActivityJson.Serialize(activity));
        var language = LanguageDetector.Detect(activity.Text);

        // Reads that need no lock happen before the write: a repeat is answered from them, and the usual case
        // (a known client writing into its open dialog here) needs no lookups in the writer.
        var hint = await ReadHintAsync(inbound, cancellationToken);
        if (hint.ExistingId is not null)
        {
            scheduler.Schedule(inbound.ConversationId);
            return new InboundReceipt(hint.ExistingId, hint.ExistingDialogId!, true);
        }

        // A conversation belongs to the account it is bound to: another account writing into it would pull its own
        // dialog (and the operator's replies) here, which is how one client could take over another's dialog.
        if (hint.AccountId is { } owner && owner != inbound.AccountId)
            throw new ForeignAccountException(inbound.ConversationId);

        InboundReceipt receipt;
        try
        {
            receipt = await database.WriteGroupedAsync(inbound.ConversationId, async (c, t) =>
            {
                var row = new InboundRow(activity.Id, hint.DialogId, inbound.ConversationId, inbound.Channel, hint.ClientId, activity.Text, stored.Json, inbound.ChannelMessageId, now);
                // The usual case on PostgreSQL: a known client writing into its open dialog here, stored with one statement.
                if (database.Dialect == SqlDialect.Postgres && hint is { ClientId: not null, DialogId: not null } && hint.AccountId == inbound.AccountId
                    && await c.QuerySingleAsync<KnownDialogWrite>(AppendToKnownDialogSql, row, t) is { DialogMatched: > 0 } known)
                {
                    if (known.Seq is not { } storedSeq)
                        throw new RepeatedInboundException();
                    if (echo is not null)
                        await echo(c, t, stored, storedSeq);
                    return new InboundReceipt(activity.Id, hint.DialogId, false);
                }

                string? clientId = null;
                string? dialog = null;
                if (hint is { ClientId: { } knownClient, DialogId: { } knownDialog } && hint.AccountId == inbound.AccountId
                    && await c.ExecuteAsync("UPDATE dialogs SET last_message_at = @now WHERE id = @knownDialog AND state <> 'closed' AND conversation_id = @ConversationId",
                        new { now, knownDialog, inbound.ConversationId }, t) == 1)
                {
                    (clientId, dialog) = (knownClient, knownDialog);
                }
                else
                {
                    clientId = hint is { ClientId: { } bound } && hint.AccountId == inbound.AccountId ? bound : null;
                    if (clientId is null)
                    {
                        clientId = await ResolveClientAsync(c, t, inbound, now);
                        await EnsureConversationAsync(c, t, inbound, clientId, now);
                    }
                    dialog = await OpenDialogAsync(c, t, inbound, clientId, language, now);
                    // Lock order everywhere: the dialog row before the conversation row (whose sequence every append takes).
                    await c.ExecuteAsync("UPDATE dialogs SET last_message_at = @now WHERE id = @dialog", new { now, dialog }, t);
                }
                var seq = await ConversationSequence.NextAsync(c, t, inbound.ConversationId);

                var inserted = await c.ExecuteAsync("""
                    INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, channel_message_id, reply_to_id, created_at)
                    VALUES (@Id, @DialogId, @ConversationId, @Channel, @Seq, 'in', 'client', @AuthorId, @Text, @Activity, @ChannelMessageId, NULL, @Now)
                    ON CONFLICT (conversation_id, channel_message_id) DO NOTHING
                    """, row with { DialogId = dialog, AuthorId = clientId, Seq = seq }, t);
                if (inserted == 0)
                    throw new RepeatedInboundException(); // the same message came in twice at once: undo this copy
                if (echo is not null)
                    await echo(c, t, stored, seq);
                return new InboundReceipt(activity.Id, dialog, false);
            }, cancellationToken);
        }
        catch (RepeatedInboundException)
        {
            receipt = await FindExistingAsync(inbound, cancellationToken)
                ?? throw new InvalidOperationException($"Message '{inbound.ChannelMessageId}' was refused as a repeat but is not stored.");
        }

        if (!receipt.Duplicate)
        {
            feed.Publish(new FeedEvent.MessageStored(receipt.DialogId, inbound.ConversationId, receipt.MessageId, "in", Authors.Client, null, time.NowMicros()));
            feed.Publish(new FeedEvent.ActivitiesAppended(inbound.ConversationId));
        }
        scheduler.Schedule(inbound.ConversationId);
        return receipt;
    }

    private Task<InboundReceipt?> FindExistingAsync(InboundActivity inbound, CancellationToken cancellationToken) =>
        inbound.ChannelMessageId is null
            ? Task.FromResult<InboundReceipt?>(null)
            : database.ReadAsync(async c =>
            {
                var existing = await c.QueryFirstOrDefaultAsync<(string Id, string DialogId)>(
                    "SELECT id, dialog_id FROM messages WHERE conversation_id = @ConversationId AND channel_message_id = @ChannelMessageId",
                    new { inbound.ConversationId, inbound.ChannelMessageId });
                return existing.Id is null ? null : new InboundReceipt(existing.Id, existing.DialogId, true);
            }, cancellationToken);

    /// <summary>
    /// What the write needs to know before it starts, in one round trip: the message if it is a repeat, and the
    /// conversation's client, account and open dialog. The outer one-row select keeps a row for a new conversation.
    /// </summary>
    private Task<DialogHint> ReadHintAsync(InboundActivity inbound, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleAsync<DialogHint>("""
            SELECT c.client_id, c.account_id, d.id AS dialog_id, e.id AS existing_id, e.dialog_id AS existing_dialog_id
            FROM (SELECT CAST(@ConversationId AS TEXT) AS id) k
            LEFT JOIN conversations c ON c.id = k.id
            LEFT JOIN dialogs d ON d.client_id = c.client_id AND d.state <> 'closed' AND d.conversation_id = c.id
            LEFT JOIN messages e ON e.conversation_id = k.id AND e.channel_message_id = @ChannelMessageId
            """, new { inbound.ConversationId, inbound.ChannelMessageId }), cancellationToken);

    private sealed class DialogHint
    {
        public string? ClientId { get; set; }
        public string? AccountId { get; set; }
        public string? DialogId { get; set; }
        public string? ExistingId { get; set; }
        public string? ExistingDialogId { get; set; }
    }

    private sealed class RepeatedInboundException : Exception;

    private sealed record InboundRow(
        string Id, string? DialogId, string ConversationId, string Channel, string? AuthorId, string? Text, string Activity, string? ChannelMessageId, long Now)
    {
        public long Seq { get; init; }
    }

    private sealed class KnownDialogWrite
    {
        public long DialogMatched { get; set; }
        public long? Seq { get; set; }
    }

    /// <summary>
    /// Moves the open dialog's last-message time, takes the conversation's next sequence and stores the message, in
    /// that lock order, only if the dialog is still open here (<c>dialog_matched</c> is 0 otherwise and nothing changed);
    /// <c>seq</c> is null when the message is a repeat (the caller rolls back).
    /// </summary>
    private const string AppendToKnownDialogSql = """
        WITH d AS (
          UPDATE dialogs SET last_message_at = @Now WHERE id = @DialogId AND state <> 'closed' AND conversation_id = @ConversationId RETURNING id),
        s AS (
          UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @ConversationId AND EXISTS (SELECT 1 FROM d) RETURNING next_seq),
        m AS (
          INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, channel_message_id, reply_to_id, created_at)
          SELECT @Id, @DialogId, @ConversationId, @Channel, s.next_seq, 'in', 'client', @AuthorId, @Text, @Activity, @ChannelMessageId, NULL, @Now FROM s
          ON CONFLICT (conversation_id, channel_message_id) DO NOTHING
          RETURNING seq)
        SELECT (SELECT COUNT(*) FROM d) AS dialog_matched, (SELECT seq FROM m) AS seq
        """;

    private static async Task<string> ResolveClientAsync(DbConnection c, DbTransaction t, InboundActivity inbound, long now)
    {
        var clientId = await c.ExecuteScalarAsync<string?>(
            "SELECT client_id FROM channel_accounts WHERE channel = @Channel AND account_id = @AccountId",
            new { inbound.Channel, inbound.AccountId }, t);
        if (clientId is not null)
            return clientId;

        clientId = Ids.New();
        await c.ExecuteAsync("INSERT INTO clients (id, display_name, created_at) VALUES (@clientId, @name, @now)",
            new { clientId, name = inbound.AccountName, now }, t);
        await c.ExecuteAsync("""
            INSERT INTO channel_accounts (channel, account_id, client_id, display_name, created_at)
            VALUES (@Channel, @AccountId, @clientId, @AccountName, @now)
            """, new { inbound.Channel, inbound.AccountId, clientId, inbound.AccountName, now }, t);
        return clientId;
    }

    private static async Task EnsureConversationAsync(DbConnection c, DbTransaction t, InboundActivity inbound, string clientId, long now)
    {
        await c.ExecuteAsync("""
            INSERT INTO conversations (id, channel, account_id, client_id, created_at) VALUES (@ConversationId, @Channel, @AccountId, @clientId, @now)
            ON CONFLICT (id) DO NOTHING
            """, new { inbound.ConversationId, inbound.Channel, inbound.AccountId, clientId, now }, t);
        await c.ExecuteAsync(
            "UPDATE conversations SET account_id = @AccountId, client_id = @clientId WHERE id = @ConversationId AND client_id IS NULL",
            new { inbound.ConversationId, inbound.AccountId, clientId }, t);
        // Bound meanwhile to another account (the hint was read before this transaction): refused, nothing is kept.
        if (await c.ExecuteScalarAsync<string?>("SELECT account_id FROM conversations WHERE id = @ConversationId", new { inbound.ConversationId }, t) != inbound.AccountId)
            throw new ForeignAccountException(inbound.ConversationId);
    }

    private static async Task<string> OpenDialogAsync(DbConnection c, DbTransaction t, InboundActivity inbound, string clientId, string? language, long now)
    {
        var dialog = await c.QueryFirstOrDefaultAsync<(string Id, string ConversationId)>(
            "SELECT id, conversation_id FROM dialogs WHERE client_id = @clientId AND state <> 'closed'",
            new { clientId }, t);
        if (dialog.Id is not null)
        {
            if (dialog.ConversationId != inbound.ConversationId)
            {
                await c.ExecuteAsync("UPDATE dialogs SET conversation_id = @ConversationId, channel = @Channel WHERE id = @Id",
                    new { inbound.ConversationId, inbound.Channel, dialog.Id }, t);
            }
            return dialog.Id;
        }

        var id = Ids.New();
        // A dialog starts in the call centre and line its channel is bound to, if any.
        await c.ExecuteAsync("""
            INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, bot_state, last_message_at, call_centre, line)
            SELECT @id, @clientId, @ConversationId, @Channel, 'bot', @language, @now, '{}', @now,
                   (SELECT call_centre FROM channel_bindings WHERE channel = @Channel), (SELECT line FROM channel_bindings WHERE channel = @Channel)
            """, new { id, clientId, inbound.ConversationId, inbound.Channel, language = language ?? "ru", now }, t);
        await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, at) VALUES (@id, 'opened', @now)", new { id, now }, t);
        return id;
    }
}

public static class ConversationSequence
{
    /// <summary>The conversation row's lock orders appends, so commit order equals sequence order on PostgreSQL too.</summary>
    public static Task<long> NextAsync(DbConnection c, DbTransaction t, string conversationId) =>
        c.ExecuteScalarAsync<long>("UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @conversationId RETURNING next_seq",
            new { conversationId }, t);
}

public static class LanguageDetector
{
    /// <summary>"ru" or "en" by which alphabet dominates the letters; null when the text has no letters.</summary>
    public static string? Detect(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        int cyrillic = 0, latin = 0;
        foreach (var ch in text)
        {
            if (ch is >= '\u0400' and <= '\u04FF')
                cyrillic++;
            else if (ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
                latin++;
        }
        if (cyrillic == 0 && latin == 0)
            return null;
        return cyrillic >= latin ? "ru" : "en";
    }
}
