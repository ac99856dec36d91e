using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotEngine.Storage;

/// <summary>
/// Opens connections and runs transactions for either engine. SQLite has one writer at a time, so writes go
/// through one in-process writer loop that commits them in groups (the embedded default is single-node);
/// PostgreSQL runs them concurrently and relies on row locks where order matters.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriter? _sqliteWriter;
    private readonly NpgsqlDataSource? _postgres;
    private readonly PostgresWriter? _postgresWriter;
    // SQLite connections stay open and configured between uses: re-running the PRAGMAs on every open cost more than the work.
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _idle = [];

    // Columns are snake_case, properties PascalCase: every query in Storage maps rows by that convention.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    private Database(SqlDialect dialect, string connectionString, int writeLanes = 1)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        if (dialect == SqlDialect.Sqlite)
        {
            _sqliteWriter = new SqliteWriter(OpenSqliteAsync);
        }
        else
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
            _postgresWriter = new PostgresWriter(_postgres, writeLanes);
        }
    }

    public const int DefaultPostgresWriteLanes = 4;

    /// <summary>How long a SQLite statement waits for a lock another connection holds before it fails.</summary>
    internal const int SqliteBusyTimeoutMs = 30_000;

    public SqlDialect Dialect { get; }

    /// <summary>" FOR UPDATE" on PostgreSQL; SQLite's single writer already excludes others.</summary>
    public string ForUpdate => Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";

    /// <summary>"column IN list" for a list parameter: Dapper expands it on SQLite, PostgreSQL takes the array whole.</summary>
    public string InList(string column, string parameter) =>
        Dialect == SqlDialect.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    public static Database ForSqliteFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 };
        return new Database(SqlDialect.Sqlite, builder.ToString());
    }

    /// <param name="writeLanes">Connections that group-commit the conversations' writes (<see cref="WriteGroupedAsync{T}"/>).</param>
    public static Database ForPostgres(string connectionString, int writeLanes = DefaultPostgresWriteLanes)
    {
        // The engine runs the same few statements all the time: let Npgsql prepare them on the server
        // (parse and plan once), unless the connection string says otherwise.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 128;
        // The engine changes no session state (no SET, LISTEN, session locks or cursors), so a pooled connection needs
        // no reset when it is returned: the reset is a batch of statements run on every reuse.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        return new(SqlDialect.Postgres, builder.ToString(), writeLanes);
    }

    private async Task<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(cancellationToken);
        return _idle.TryTake(out var idle) ? idle : await OpenSqliteAsync(cancellationToken);
    }

    private async ValueTask ReturnAsync(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite && sqlite.State == System.Data.ConnectionState.Open && _idle.Count < 32)
            _idle.Add(sqlite);
        else
            await connection.DisposeAsync();
    }

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {

        var connection = new PreparedStatementConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL keeps readers off the writer's back; NORMAL sync is still durable across a process crash.
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={SqliteBusyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken);
        try
        {
            return await work(connection);
        }
        finally
        {
            await ReturnAsync(connection);
        }
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_sqliteWriter is not null)
            return await _sqliteWriter.WriteAsync(work, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await RentAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 4)
            {
                // The whole unit runs again: work units only touch the database and their own locals.
            }
        }
    }

    /// <summary>
    /// A conversation's inbound or turn write, which may share its transaction and commit with other conversations'
    /// writes (group commit): on PostgreSQL it queues on the lane of <paramref name="conversationId"/>; SQLite's
    /// writer groups every write anyway. The work must keep no state outside the database but its locals: it may run
    /// twice when another unit of its batch fails.
    /// </summary>
    public Task<T> WriteGroupedAsync<T>(string conversationId, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _postgresWriter is not null ? _postgresWriter.WriteAsync(conversationId, work, cancellationToken) : WriteAsync(work, cancellationToken);

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_postgresWriter is not null)
            await _postgresWriter.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        while (_idle.TryTake(out var idle))
            await idle.DisposeAsync();
        if (_sqliteWriter is not null)
            await _sqliteWriter.DisposeAsync();
    }
}
