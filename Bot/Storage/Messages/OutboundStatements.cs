using BotEngine.Conversations;

namespace BotEngine.Storage.Messages;

/// <summary>The statements that record a reply in the caller's batch: the message, and its outbox row when a channel delivers it later.</summary>
public static class OutboundStatements
{
    /// <summary>Outbound rows do not take a conversation sequence: the channel orders them when it delivers.</summary>
    public static int AddMessage(SqlBatch batch, StoredMessage row) =>
        batch.Add("""
            INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, reply_to_id, created_at, processed_at)
            VALUES (@Id, @DialogId, @ConversationId, @Channel, 0, 'out', @Author, @AuthorId, @Text, @Activity, @ReplyToId, @CreatedAt, @CreatedAt)
            """, row);

    public static int AddOutboxEntry(SqlBatch batch, StoredMessage row) =>
        batch.Add("""
            INSERT INTO outbox (id, conversation_id, channel, created_at, next_attempt_at) VALUES (@Id, @ConversationId, @Channel, @CreatedAt, @CreatedAt)
            """, row);
}
