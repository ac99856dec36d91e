using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotEngine.Bot.Storage;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Opens connections and runs transactions for either engine. SQLite has one writer at a time, so writes
/// are serialised in-process (the embedded default is single-node); PostgreSQL runs them concurrently and
/// relies on row locks where order matters.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim? _writeGate;
    private readonly NpgsqlDataSource? _postgres;

    private Database(SqlDialect dialect, string connectionString)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        if (dialect == SqlDialect.Sqlite)
            _writeGate = new SemaphoreSlim(1, 1);
        else
            _postgres = NpgsqlDataSource.Create(connectionString);
    }

    public SqlDialect Dialect { get; }

    /// <summary>" FOR UPDATE" on PostgreSQL; SQLite's single writer already excludes others.</summary>
    public string ForUpdate => Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";

    public static Database ForSqliteFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 };
        return new Database(SqlDialect.Sqlite, builder.ToString());
    }

    public static Database ForPostgres(string connectionString) => new(SqlDialect.Postgres, connectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(cancellationToken);

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL keeps readers off the writer's back; NORMAL sync is still durable across a process crash.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_writeGate is not null)
            await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeGate?.Release();
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (Dialect == SqlDialect.Sqlite)
            SqliteConnection.ClearAllPools();
        _writeGate?.Dispose();
    }
}
