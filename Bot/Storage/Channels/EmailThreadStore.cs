using Dapper;

namespace BotEngine.Storage.Channels;

/// <summary>The <c>email_threads</c> and <c>email_messages</c> tables: which conversation a Message-ID belongs to, and how to reply in it.</summary>
public sealed class EmailThreadStore(Database database)
{
    public const string Inbound = "in";
    public const string Outbound = "out";

    /// <summary>The conversation of the first of <paramref name="messageIds"/> this channel has seen or sent, or null.</summary>
    public Task<string?> ConversationOfAsync(string channel, IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        messageIds.Count == 0
            ? Task.FromResult<string?>(null)
            : database.ReadAsync(async c =>
            {
                var found = (await c.QueryAsync<(string MessageId, string ConversationId)>(
                    $"SELECT message_id, conversation_id FROM email_messages WHERE channel = @channel AND {database.InList("message_id", "messageIds")}",
                    new { channel, messageIds = messageIds.ToArray() })).ToDictionary(r => r.MessageId, r => r.ConversationId, StringComparer.Ordinal);
                return messageIds.Select(found.GetValueOrDefault).FirstOrDefault(id => id is not null);
            }, cancellationToken);

    public Task<EmailThreadRow?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<EmailThreadRow>("""
            SELECT conversation_id AS ConversationId, channel AS Channel, address AS Address, subject AS Subject, reply_to_id AS ReplyToId, refs AS Refs
            FROM email_threads WHERE conversation_id = @conversationId
            """, new { conversationId }), cancellationToken);

    /// <summary>
    /// Records a message of the thread: the thread is created when new, and an inbound message becomes the one a reply
    /// answers. A Message-ID already recorded changes nothing; false then.
    /// </summary>
    public Task<bool> RecordAsync(EmailThreadRow thread, string messageId, string direction, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var added = await c.ExecuteAsync("""
                INSERT INTO email_messages (channel, message_id, conversation_id, direction, created_at)
                VALUES (@Channel, @messageId, @ConversationId, @direction, @now) ON CONFLICT (channel, message_id) DO NOTHING
                """, new { thread.Channel, messageId, thread.ConversationId, direction, now }, t);
            if (added == 0)
                return false;
            await c.ExecuteAsync(direction == Inbound
                ? """
                  INSERT INTO email_threads (conversation_id, channel, address, subject, reply_to_id, refs, created_at, updated_at)
                  VALUES (@ConversationId, @Channel, @Address, @Subject, @ReplyToId, @Refs, @now, @now)
                  ON CONFLICT (conversation_id) DO UPDATE SET reply_to_id = excluded.reply_to_id, refs = excluded.refs, updated_at = excluded.updated_at
                  """
                : "UPDATE email_threads SET refs = @Refs, updated_at = @now WHERE conversation_id = @ConversationId",
                new { thread.ConversationId, thread.Channel, thread.Address, thread.Subject, thread.ReplyToId, thread.Refs, now }, t);
            return true;
        }, cancellationToken);
}
