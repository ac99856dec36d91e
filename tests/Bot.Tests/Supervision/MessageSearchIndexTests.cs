using System.Data.Common;
using BotEngine.Storage;
using BotEngine.Storage.History;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>SQLite's history index is written in batches: a stored message is noted, and a catch-up indexes every noted one exactly once.</summary>
public sealed class MessageSearchIndexTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Stored_messages_wait_as_notes_until_a_catch_up_indexes_them_all_in_batches()
    {
        await TestDatabases.WithEmptyDatabaseAsync(StorageKind.Sqlite, async database =>
        {
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(None);
            var index = new MessageSearchIndex(database);
            // two batches and a half; every 100th message names a payment, and one has no text at all
            var count = MessageSearchIndex.BatchSize * 2 + MessageSearchIndex.BatchSize / 2;
            await database.WriteAsync(async (c, t) =>
            {
                for (var i = 0; i < count; i++)
                    await InsertMessageAsync(c, t, $"m{i:D5}", i % 100 == 7 ? $"Не проходит платёж номер {i}" : $"сообщение номер {i}");
                await InsertMessageAsync(c, t, "empty", null);
            }, None);

            Assert.Equal(count, await ScalarAsync(database, "SELECT COUNT(*) FROM message_search_pending"));
            Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM message_search"));

            Assert.Equal(count, await index.CatchUpAsync(None));
            Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM message_search_pending"));
            Assert.Equal(count, await ScalarAsync(database, "SELECT COUNT(*) FROM message_search"));
            var found = await database.ReadAsync(c => c.QueryAsync<string>(
                "SELECT message_id FROM message_search WHERE message_search MATCH '\"платеж\"*' ORDER BY message_id"), None);
            Assert.Equal(Enumerable.Range(0, count).Where(i => i % 100 == 7).Select(i => $"m{i:D5}"), found);

            // nothing noted: nothing indexed twice
            Assert.Equal(0, await index.CatchUpAsync(None));
            await database.WriteAsync((c, t) => InsertMessageAsync(c, t, "late", "ещё один платёж"), None);
            Assert.Equal(1, await index.CatchUpAsync(None));
            Assert.Equal(count + 1, await ScalarAsync(database, "SELECT COUNT(*) FROM message_search"));
        });
    }

    private static Task InsertMessageAsync(DbConnection c, DbTransaction t, string id, string? text) =>
        c.ExecuteAsync("""
            INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, text, activity, created_at)
            VALUES (@id, 'd1', 'c1', 'test', (SELECT COUNT(*) FROM messages), 'in', 'client', @text, '{}', 1)
            """, new { id, text }, t);

    private static Task<long> ScalarAsync(Database database, string sql) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), None);
}
