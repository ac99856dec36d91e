using BotEngine.Storage;
using Dapper;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Group commit (SQLite's single writer, PostgreSQL's write lanes): a unit that throws fails alone, every other unit
/// of its batch commits exactly once, and units of one conversation commit in the order they were queued.
/// </summary>
public sealed class GroupCommitTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_failing_unit_fails_alone_and_the_rest_of_its_batch_commits_once(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE items (n INTEGER PRIMARY KEY, conversation TEXT NOT NULL)", transaction: t), CancellationToken.None);

            // Queued together on few conversations, these land in the same batches; unit 17 throws after writing.
            var writes = Enumerable.Range(0, 60).Select(n => database.WriteGroupedAsync($"conversation-{n % 3}", async (c, t) =>
            {
                await c.ExecuteAsync("INSERT INTO items (n, conversation) VALUES (@n, @conversation)", new { n, conversation = $"conversation-{n % 3}" }, t);
                if (n == 17)
                    throw new InvalidOperationException("unit 17 refuses");
                return n;
            }, CancellationToken.None)).ToList();

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[17]);
            Assert.Equal("unit 17 refuses", failure.Message);
            foreach (var (write, n) in writes.Select((w, n) => (w, n)).Where(x => x.n != 17))
                Assert.Equal(n, await write);

            var stored = await database.ReadAsync(c => c.QueryAsync<int>("SELECT n FROM items ORDER BY n"), CancellationToken.None);
            Assert.Equal(Enumerable.Range(0, 60).Where(n => n != 17), stored);
        });
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Units_of_one_conversation_commit_in_the_order_they_were_queued(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await database.WriteAsync((c, t) => c.ExecuteAsync(
                "CREATE TABLE log (id INTEGER PRIMARY KEY, conversation TEXT NOT NULL, n INTEGER NOT NULL, seen INTEGER NOT NULL)", transaction: t), CancellationToken.None);

            // Each unit records how many rows of its conversation it saw: in queue order that is 0, 1, 2, ...
            var writes = Enumerable.Range(0, 200).Select(i => database.WriteGroupedAsync($"c{i % 8}", (c, t) => c.ExecuteAsync("""
                INSERT INTO log (id, conversation, n, seen) VALUES (@i, @conversation, @n, (SELECT COUNT(*) FROM log WHERE conversation = @conversation))
                """, new { i, conversation = $"c{i % 8}", n = i / 8 }, t), CancellationToken.None)).ToList();
            await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));

            var rows = await database.ReadAsync(c => c.QueryAsync<(long N, long Seen)>("SELECT n, seen FROM log"), CancellationToken.None);
            Assert.Equal(200, rows.Count());
            Assert.All(rows, r => Assert.Equal(r.N, r.Seen));
        });
    }
}
