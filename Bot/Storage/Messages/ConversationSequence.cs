using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Messages;

public static class ConversationSequence
{
    /// <summary>The conversation row's lock orders appends, so commit order equals sequence order on PostgreSQL too.</summary>
    public static Task<long> NextAsync(DbConnection c, DbTransaction t, string conversationId) =>
        c.ExecuteScalarAsync<long>("UPDATE conversations SET next_seq = next_seq + 1 WHERE id = @conversationId RETURNING next_seq",
            new { conversationId }, t);
}
