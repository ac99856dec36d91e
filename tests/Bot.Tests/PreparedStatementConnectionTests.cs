using BotEngine.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotEngine.Bot.Tests;

/// <summary>
/// SQLite connections keep their statements compiled between commands: a statement run again takes new values (none
/// left over from the last run), two readers of one statement can be open at once, texts that cannot be compiled in
/// advance still run, and errors still reach the caller.
/// </summary>
public sealed class PreparedStatementConnectionTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"prepared-{Guid.NewGuid():N}.db");
    private PreparedStatementConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = new PreparedStatementConnection($"Data Source={_file};Pooling=False");
        await _connection.OpenAsync();
        await _connection.ExecuteAsync("CREATE TABLE items (id TEXT PRIMARY KEY, amount BIGINT, note TEXT)");
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task A_statement_run_again_binds_only_the_new_values()
    {
        const string insert = "INSERT INTO items (id, amount, note) VALUES (@Id, @Amount, @Note)";
        for (int i = 0; i < 5; i++)
            Assert.Equal(1, await _connection.ExecuteAsync(insert, new { Id = $"i{i}", Amount = (long?)(i == 2 ? null : i * 10), Note = i % 2 == 0 ? "even" : null }));

        const string byId = "SELECT id, amount, note FROM items WHERE id = @Id";
        foreach (var i in new[] { 3, 0, 2, 4 })
        {
            var row = await _connection.QuerySingleAsync<(string Id, long? Amount, string? Note)>(byId, new { Id = $"i{i}" });
            Assert.Equal(($"i{i}", i == 2 ? null : i * 10L, i % 2 == 0 ? "even" : null), (row.Id, row.Amount, row.Note));
        }

        // a parameter the statement does not get this time is an error, not the value of the last run
        await using var command = ((System.Data.Common.DbConnection)_connection).CreateCommand();
        command.CommandText = byId;
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());
        Assert.True(missing.Message.Contains("@Id", StringComparison.Ordinal), missing.Message);
    }

    [Fact]
    public async Task Two_readers_of_one_statement_are_open_at_once_and_writes_in_a_transaction_commit_or_roll_back()
    {
        await _connection.ExecuteAsync("INSERT INTO items (id, amount) VALUES ('a', 1), ('b', 2), ('c', 3)");
        const string above = "SELECT id FROM items WHERE amount > @Min ORDER BY id";
        await using (var outer = await _connection.ExecuteReaderAsync(above, new { Min = 0 }))
        await using (var inner = await _connection.ExecuteReaderAsync(above, new { Min = 2 }))
        {
            var outerIds = new List<string>();
            while (await outer.ReadAsync())
                outerIds.Add(outer.GetString(0));
            Assert.True(await inner.ReadAsync());
            Assert.Equal("c", inner.GetString(0));
            Assert.False(await inner.ReadAsync());
            Assert.Equal(["a", "b", "c"], outerIds);
        }

        const string bump = "UPDATE items SET amount = amount + 1 WHERE id = @Id";
        using (var transaction = _connection.BeginTransaction())
        {
            await _connection.ExecuteAsync(bump, new { Id = "a" }, transaction);
            transaction.Rollback();
        }
        using (var transaction = _connection.BeginTransaction())
        {
            await _connection.ExecuteAsync(bump, new { Id = "b" }, transaction);
            transaction.Commit();
        }
        await _connection.ExecuteAsync(bump, new { Id = "c" });
        Assert.Equal([1L, 3L, 4L], await _connection.QueryAsync<long>("SELECT amount FROM items ORDER BY id"));
    }

    [Fact]
    public async Task A_text_whose_statements_need_the_ones_before_runs_and_errors_reach_the_caller()
    {
        // the INSERT cannot be compiled before the CREATE has run
        await _connection.ExecuteAsync("CREATE TABLE later (n INTEGER); INSERT INTO later (n) VALUES (@N)", new { N = 7 });
        Assert.Equal(7, await _connection.ExecuteScalarAsync<int>("SELECT n FROM later"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => _connection.ExecuteAsync("UPDATE nowhere SET n = 1"));
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SqliteException>(() => _connection.ExecuteAsync("INSERT INTO items (id) VALUES ('dup'); INSERT INTO items (id) VALUES ('dup')"));
        Assert.Equal(1, await _connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items WHERE id = 'dup'"));
    }

    [Fact]
    public async Task More_distinct_texts_than_the_cache_keeps_still_run()
    {
        // list parameters are expanded into a new text per list length; past the cache's size they run uncached
        for (int n = 1; n <= 300; n++)
        {
            var ids = Enumerable.Range(0, n).Select(i => $"x{i}").ToArray();
            Assert.Equal(0, await _connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items WHERE id IN @Ids", new { Ids = ids }));
        }
        await _connection.ExecuteAsync("INSERT INTO items (id) VALUES ('x5')");
        Assert.Equal(1, await _connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items WHERE id IN @Ids", new { Ids = new[] { "x5", "x6" } }));
    }
}
