using System.Data.Common;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Channels.DirectLine;

/// <summary>
/// The activity stream of each Direct Line conversation: the client's echoed activities and the bot's
/// delivered ones, numbered by the conversation's sequence (the watermark).
/// </summary>
public sealed class DirectLineStore(Database database, TimeProvider time)
{
    public const string Channel = "directline";
    private const int MaxRememberedBindings = 100_000;

    // A conversation's user never changes once bound, so a binding seen once is known for good: each POST then
    // skips the lookup. Cleared when full rather than evicted one by one; a miss only costs the read.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _bound = new(StringComparer.Ordinal);

    public Task CreateConversationAsync(string conversationId, string? userId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO conversations (id, channel, account_id, created_at) VALUES (@conversationId, @Channel, @userId, @now)
            ON CONFLICT (id) DO NOTHING
            """, new { conversationId, Channel, userId, now = time.NowMicros() }, t), cancellationToken);

    public Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM conversations WHERE id = @conversationId AND channel = @Channel", new { conversationId, Channel }) > 0, cancellationToken);

    /// <summary>Whether the conversation exists, and the user it is bound to (null for one made before conversations were bound).</summary>
    public async Task<(bool Exists, string? UserId)> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (_bound.TryGetValue(conversationId, out var known))
            return (true, known);
        var row = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string Id, string? AccountId)>(
            "SELECT id, account_id FROM conversations WHERE id = @conversationId AND channel = @Channel", new { conversationId, Channel }), cancellationToken);
        if (row.AccountId is { } user)
            Remember(conversationId, user);
        return (row.Id is not null, row.AccountId);
    }

    private void Remember(string conversationId, string userId)
    {
        if (_bound.Count >= MaxRememberedBindings)
            _bound.Clear();
        _bound[conversationId] = userId;
    }

    /// <summary>Binds a conversation that has no user yet to <paramref name="userId"/>; answers the user it is bound to, this one or an earlier one.</summary>
    public Task<string> BindUserAsync(string conversationId, string userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE conversations SET account_id = @userId WHERE id = @conversationId AND account_id IS NULL",
                new { conversationId, userId }, t);
            return await c.ExecuteScalarAsync<string>("SELECT account_id FROM conversations WHERE id = @conversationId", new { conversationId }, t)
                ?? throw new InvalidOperationException($"Conversation '{conversationId}' is not stored.");
        }, cancellationToken);

    public async Task<(IReadOnlyList<string> Activities, long Watermark)> ReadAsync(string conversationId, long after, CancellationToken cancellationToken)
    {
        var rows = (await database.ReadAsync(c => c.QueryAsync<(long Seq, string Activity)>("""
            SELECT seq, activity FROM directline_activities WHERE conversation_id = @conversationId AND seq > @after ORDER BY seq LIMIT 200
            """, new { conversationId, after }), cancellationToken)).AsList();
        return (rows.Select(r => r.Activity).ToList(), rows.Count > 0 ? rows[^1].Seq : after);
    }

    /// <summary>The echo of the client's own activity, written in the same transaction that stores it.</summary>
    public static Task AppendEchoAsync(DbConnection c, DbTransaction t, StoredActivity stored, long seq) =>
        c.ExecuteAsync("""
            INSERT INTO directline_activities (conversation_id, seq, activity_id, activity) VALUES (@conversationId, @seq, @id, @Json)
            """, new { conversationId = stored.Activity.Conversation!.Id, seq, id = stored.Activity.Id, stored.Json }, t);

    public static async Task AppendDeliveryAsync(DbConnection c, DbTransaction t, OutboundDelivery delivery)
    {
        // A retried delivery finds its activity already in the stream and adds nothing.
        if (await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM directline_activities WHERE conversation_id = @ConversationId AND activity_id = @MessageId", delivery, t) > 0)
            return;
        var batch = SqlBatch.For(c);
        AddDelivery(batch, delivery);
        await batch.ExecuteAsync(c, t);
    }

    /// <summary>Takes the conversation's next sequence number and appends the activity under it.</summary>
    public static void AddDelivery(SqlBatch batch, OutboundDelivery delivery)
    {
        if (batch.IsPostgres)
        {
            // One statement on PostgreSQL: take the sequence and append together.
            batch.Add("""
                WITH s AS (UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @ConversationId RETURNING next_seq)
                INSERT INTO directline_activities (conversation_id, seq, activity_id, activity) SELECT @ConversationId, next_seq, @MessageId, @ActivityJson FROM s
                """, delivery);
            return;
        }
        // SQLite's single writer runs these two back to back.
        batch.Add("UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @ConversationId", delivery);
        batch.Add("""
            INSERT INTO directline_activities (conversation_id, seq, activity_id, activity)
            SELECT @ConversationId, next_seq, @MessageId, @ActivityJson FROM conversations WHERE id = @ConversationId
            """, delivery);
    }
}
