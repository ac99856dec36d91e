using BotEngine.Bot.Storage;
using Dapper;

namespace BotEngine.Bot.Tests;

/// <summary>The group-committing SQLite writer: a unit that throws fails alone, and every other unit commits exactly once.</summary>
public sealed class SqliteWriterTests
{
    [Fact]
    public async Task A_failing_unit_fails_alone_and_the_rest_of_its_batch_commits_once()
    {
        var dir = TestDatabases.NewTempDir();
        try
        {
            await using var database = Database.ForSqliteFile(Path.Combine(dir, "w.db"));
            await database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE items (n INTEGER PRIMARY KEY)", transaction: t), CancellationToken.None);

            // Queued together, these land in the same batches; unit 17 throws after writing.
            var writes = Enumerable.Range(0, 60).Select(n => database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("INSERT INTO items (n) VALUES (@n)", new { n }, t);
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
        }
        finally
        {
            TestDatabases.TryDelete(dir);
        }
    }
}
