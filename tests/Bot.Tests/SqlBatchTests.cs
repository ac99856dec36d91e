using BotEngine.Storage;
using Dapper;

namespace BotEngine.Bot.Tests;

/// <summary>Statements batched in one transaction report their own row counts and bind nulls and types alike on both storages.</summary>
public sealed class SqlBatchTests
{
    private sealed record Item(string Id, long? Amount, string? Note, int Version);

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Each_statement_reports_its_rows_and_later_ones_see_earlier_ones(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await database.WriteAsync((c, t) => c.ExecuteAsync(
                "CREATE TABLE items (id TEXT PRIMARY KEY, amount BIGINT, note TEXT, version INTEGER NOT NULL)", transaction: t), CancellationToken.None);

            var affected = await database.WriteAsync((c, t) =>
            {
                var batch = SqlBatch.For(c);
                batch.Add("INSERT INTO items (id, amount, note, version) VALUES (@Id, @Amount, @Note, @Version)", new Item("a", 5, null, 1));
                batch.Add("INSERT INTO items (id, amount, note, version) VALUES (@Id, @Amount, @Note, @Version)", new Item("b", null, "b", 1));
                // Versioned updates: one matches, one is stale; the last statement sees the rows the first ones wrote.
                batch.Add("UPDATE items SET note = @Note, version = version + 1 WHERE id = @Id AND version = @Version", new Item("a", null, "changed", 1));
                batch.Add("UPDATE items SET note = @Note WHERE id = @Id AND version = @Version", new Item("b", null, "stale", 7));
                batch.Add($"UPDATE items SET amount = COALESCE(amount, 0) + 1 WHERE {database.InList("id", "Ids")}", new { Ids = new[] { "a", "b" } });
                return batch.ExecuteAsync(c, t);
            }, CancellationToken.None);

            Assert.Equal([1, 1, 1, 0, 2], affected);
            var rows = (await database.ReadAsync(c => c.QueryAsync<(string Id, long? Amount, string? Note, int Version)>(
                "SELECT id, amount, note, version FROM items ORDER BY id"), CancellationToken.None)).ToList();
            Assert.Equal([("a", 6L, "changed", 2), ("b", 1L, "b", 1)], rows.Select(r => (r.Id, r.Amount, r.Note, r.Version)));
        });
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_parameter_named_twice_binds_the_same_value_and_unused_properties_are_left_out(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            var values = await database.WriteAsync((c, t) =>
            {
                var batch = SqlBatch.For(c);
                batch.Add("SELECT CAST(@Second AS TEXT) || '-' || CAST(@First AS TEXT) || '-' || CAST(@Second AS TEXT)", new { First = "x", Second = "y" });
                batch.Add("SELECT CAST(@Count AS BIGINT) + CAST(@Count AS BIGINT)", new { Count = 20L, Unused = "z" });
                return batch.ExecuteScalarsAsync(c, t);
            }, CancellationToken.None);
            Assert.Equal("y-x-y", values[0]);
            Assert.Equal(40L, Convert.ToInt64(values[1], System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task A_statement_naming_a_missing_parameter_is_refused_before_anything_runs_on_postgres()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            await using var database = Database.ForPostgres(connectionString);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync((c, t) =>
            {
                var batch = SqlBatch.For(c);
                batch.Add("SELECT @Missing", new { Present = 1 });
                return batch.ExecuteAsync(c, t);
            }, CancellationToken.None));
            Assert.Contains("@Missing", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }
}
