using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Messages;

public static class ConversationSequence
{
    /// <summary>
    /// The conversation's next sequence number, and <paramref name="reserve"/> more after it for the caller's later
    /// appends. The conversation row's lock orders appends, so commit order equals sequence order on PostgreSQL too.
    /// </summary>
    public static Task<long> NextAsync(DbConnection c, DbTransaction t, string conversationId, int reserve = 0) =>
        c.ExecuteScalarAsync<long>("UPDATE conversations SET next_seq = next_seq + 1 + @reserve WHERE id = @conversationId RETURNING next_seq - @reserve",
            new { conversationId, reserve }, t);
}
