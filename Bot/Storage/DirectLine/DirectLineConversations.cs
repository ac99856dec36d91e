using Dapper;

namespace BotEngine.Storage.DirectLine;

/// <summary>The Direct Line channel's rows of <c>conversations</c>: made, looked up, bound to their user.</summary>
public sealed class DirectLineConversations(Database database, TimeProvider time)
{
    /// <summary>The channel's name in <c>conversations.channel</c> and on its messages.</summary>
    public const string Channel = "directline";

    public Task CreateAsync(string conversationId, string? userId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO conversations (id, channel, account_id, created_at) VALUES (@conversationId, @Channel, @userId, @now)
            ON CONFLICT (id) DO NOTHING
            """, new { conversationId, Channel, userId, now = time.NowMicros() }, t), cancellationToken);

    public Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM conversations WHERE id = @conversationId AND channel = @Channel", new { conversationId, Channel }) > 0, cancellationToken);

    /// <summary>The conversation's id (null when it is not stored) and the user it is bound to (null when none is).</summary>
    public Task<(string? Id, string? AccountId)> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string? Id, string? AccountId)>(
            "SELECT id, account_id FROM conversations WHERE id = @conversationId AND channel = @Channel", new { conversationId, Channel }), cancellationToken);

    /// <summary>Binds a conversation that has no user yet to <paramref name="userId"/>; answers the user it is bound to, this one or an earlier one.</summary>
    public Task<string> BindUserAsync(string conversationId, string userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE conversations SET account_id = @userId WHERE id = @conversationId AND account_id IS NULL",
                new { conversationId, userId }, t);
            return await c.ExecuteScalarAsync<string>("SELECT account_id FROM conversations WHERE id = @conversationId", new { conversationId }, t)
                ?? throw new InvalidOperationException($"Conversation '{conversationId}' is not stored.");
        }, cancellationToken);
}
