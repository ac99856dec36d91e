using Dapper;

namespace BotEngine.Storage.Messages;

/// <summary>Reads back what the engine sent: a channel whose buttons carry only a reference finds the pressed action here.</summary>
public sealed class SentActivities(Database database)
{
    /// <summary>The activity JSON of an outbound message of this conversation; null when there is none (or it belongs elsewhere).</summary>
    public Task<string?> FindAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT activity FROM messages WHERE id = @messageId AND conversation_id = @conversationId AND direction = 'out'",
            new { messageId, conversationId }), cancellationToken);
}
