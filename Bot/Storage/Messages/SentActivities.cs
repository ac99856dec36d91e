using Dapper;

namespace BotEngine.Storage.Messages;

/// <summary>
/// Reads back a conversation's messages for channel adapters: a channel whose buttons carry only a reference finds the
/// pressed action here, a typed option number finds the options last offered, and a channel with a messaging window
/// (Facebook's 24 hours) finds when the client last wrote.
/// </summary>
public sealed class SentActivities(Database database)
{
    /// <summary>The activity JSON of an outbound message of this conversation; null when there is none (or it belongs elsewhere).</summary>
    public Task<string?> FindAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT activity FROM messages WHERE id = @messageId AND conversation_id = @conversationId AND direction = 'out'",
            new { messageId, conversationId }), cancellationToken);

    /// <summary>The activity JSON of the newest outbound message of this conversation, or null.</summary>
    public Task<string?> LatestAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT activity FROM messages WHERE conversation_id = @conversationId AND direction = 'out' ORDER BY created_at DESC, id DESC LIMIT 1",
            new { conversationId }), cancellationToken);

    /// <summary>Outbound messages of this conversation after a point (time, then id), oldest first: what a polling app has not read.</summary>
    public async Task<IReadOnlyList<SentActivityRow>> AfterAsync(string conversationId, long afterMicros, string afterId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<SentActivityRow>(
            """
            SELECT id AS Id, activity AS Activity, created_at AS CreatedAt FROM messages
            WHERE conversation_id = @conversationId AND direction = 'out' AND (created_at > @afterMicros OR (created_at = @afterMicros AND id > @afterId))
            ORDER BY created_at, id LIMIT @limit
            """,
            new { conversationId, afterMicros, afterId, limit }), cancellationToken)).AsList();

    /// <summary>When the client last wrote in this conversation (microseconds since the epoch), or null.</summary>
    public Task<long?> LastInboundAtAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long?>(
            "SELECT MAX(created_at) FROM messages WHERE conversation_id = @conversationId AND direction = 'in'",
            new { conversationId }), cancellationToken);
}
