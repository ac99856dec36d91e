using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.DirectLine;

/// <summary>
/// <c>directline_activities</c>: each Direct Line conversation's stream of activities (the client's echoed ones and
/// the bot's delivered ones), numbered by the conversation's sequence (the watermark).
/// </summary>
public sealed class DirectLineActivities(Database database)
{
    private sealed record Delivery(string ConversationId, string MessageId, string ActivityJson, long? Seq = null);

    /// <summary>Up to 200 activities after sequence number <paramref name="after"/>, in order.</summary>
    public async Task<List<(long Seq, string Activity)>> ReadAfterAsync(string conversationId, long after, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(long Seq, string Activity)>("""
            SELECT seq, activity FROM directline_activities WHERE conversation_id = @conversationId AND seq > @after ORDER BY seq LIMIT 200
            """, new { conversationId, after }), cancellationToken)).AsList();

    /// <summary>Whether the conversation's stream holds the activity already.</summary>
    public static async Task<bool> ContainsAsync(DbConnection c, DbTransaction t, string conversationId, string activityId) =>
        await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM directline_activities WHERE conversation_id = @ConversationId AND activity_id = @MessageId",
            new { ConversationId = conversationId, MessageId = activityId }, t) > 0;

    /// <summary>
    /// Adds to the batch: append the activity under <paramref name="seq"/>, which the caller's write took from the
    /// conversation's sequence already, or else take the next sequence number and append it under that.
    /// </summary>
    public static void AddAppend(SqlBatch batch, string conversationId, string activityId, string activityJson, long? seq = null)
    {
        if (seq is not null)
        {
            batch.Add("""
                INSERT INTO directline_activities (conversation_id, seq, activity_id, activity) VALUES (@ConversationId, @Seq, @MessageId, @ActivityJson)
                """, new Delivery(conversationId, activityId, activityJson, seq));
            return;
        }
        var delivery = new Delivery(conversationId, activityId, activityJson);
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
