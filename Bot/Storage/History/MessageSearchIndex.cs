using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.History;

/// <summary>
/// Moves the messages noted in <c>message_search_pending</c> into SQLite's history index (migration 032), a batch at a
/// time: FTS5 writes an index segment per commit, so indexing many messages in one commit costs far less than one by
/// one in the turns' commits. PostgreSQL indexes in the message's own statement (a GIN index) and has nothing to move.
/// </summary>
public sealed class MessageSearchIndex(Database database)
{
    /// <summary>The most messages one write indexes, so the single writer is never held long.</summary>
    public const int BatchSize = 200;

    /// <summary>Indexes every message noted so far; answers how many it indexed.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (database.Dialect != SqlDialect.Sqlite)
            return 0;
        var indexed = 0;
        while (true)
        {
            var batch = await database.WriteAsync(IndexBatchAsync, cancellationToken);
            indexed += batch;
            if (batch < BatchSize)
                return indexed;
        }
    }

    private static async Task<int> IndexBatchAsync(DbConnection c, DbTransaction t)
    {
        var last = await c.ExecuteScalarAsync<long?>(
            "SELECT MAX(rowid) FROM (SELECT rowid FROM message_search_pending ORDER BY rowid LIMIT @BatchSize)", new { BatchSize }, t);
        if (last is null)
            return 0;
        await c.ExecuteAsync("""
            INSERT INTO message_search (message_id, body)
              SELECT m.id, replace(replace(m.text, 'ё', 'е'), 'Ё', 'Е')
              FROM message_search_pending p JOIN messages m ON m.id = p.message_id WHERE p.rowid <= @last
            """, new { last }, t);
        return await c.ExecuteAsync("DELETE FROM message_search_pending WHERE rowid <= @last", new { last }, t);
    }
}
