using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Channels;

/// <summary>
/// The <c>botframework_conversations</c> table (where each Connector conversation is answered) and the outbox reads
/// the Bot Framework sender needs: the channel's id of the message a reply answers, and whether an earlier reply of the
/// conversation is still on its way (the Connector shows messages in the order they arrive; replies are ordered by when they were written, then id, as
/// everywhere messages are listed).
/// </summary>
public sealed class ConnectorConversationStore(Database database)
{
    /// <summary>Records the newest address of a conversation, in the transaction that stores the message carrying it.</summary>
    public static Task SaveAsync(DbConnection c, DbTransaction t, ConnectorConversationRow row) =>
        c.ExecuteAsync("""
            INSERT INTO botframework_conversations (conversation_id, channel, service_url, remote_id, bot_id, bot_name, user_id, user_name, tenant_id, updated_at)
            VALUES (@ConversationId, @Channel, @ServiceUrl, @RemoteId, @BotId, @BotName, @UserId, @UserName, @TenantId, @UpdatedAt)
            ON CONFLICT (conversation_id) DO UPDATE SET service_url = excluded.service_url, remote_id = excluded.remote_id,
              bot_id = excluded.bot_id, bot_name = excluded.bot_name, user_id = excluded.user_id, user_name = excluded.user_name,
              tenant_id = excluded.tenant_id, updated_at = excluded.updated_at
            """, row, t);

    public Task<ConnectorConversationRow?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ConnectorConversationRow>(
            """
            SELECT conversation_id, channel, service_url, remote_id, bot_id, bot_name, user_id, user_name, tenant_id, updated_at
            FROM botframework_conversations WHERE conversation_id = @conversationId
            """, new { conversationId }), cancellationToken);

    /// <summary>The channel's own id of a client message of ours (what a reply to it names as replyToId), or null.</summary>
    public Task<string?> ChannelMessageIdAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT channel_message_id FROM messages WHERE id = @messageId AND conversation_id = @conversationId AND direction = 'in'",
            new { messageId, conversationId }), cancellationToken);

    /// <summary>
    /// When the earliest earlier message of the conversation still waiting in the outbox is due again (microseconds),
    /// or null when none waits: a message must not overtake one written before it.
    /// </summary>
    public Task<long?> EarlierPendingDueAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long?>(
            """
            SELECT MIN(o.next_attempt_at) FROM outbox o JOIN outbox mine ON mine.id = @messageId
            WHERE o.conversation_id = @conversationId AND o.delivered_at IS NULL AND o.failed_at IS NULL
              AND (o.created_at < mine.created_at OR (o.created_at = mine.created_at AND o.id < mine.id))
            """, new { conversationId, messageId }), cancellationToken);
}
