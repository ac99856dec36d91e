using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BotEngine.Bot.Storage;

/// <summary>
/// SQLite's single writer as one loop: queued write units run back to back on one connection and commit
/// together (group commit). Each unit runs inside its own savepoint, so a failing unit rolls back alone;
/// callers are answered only after the commit that made their work durable.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 128;
    private readonly Channel<IWriteUnit> _queue = Channel.CreateUnbounded<IWriteUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly Task _loop;

    public SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open)
    {
        _open = open;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new WriteUnit<T>(work);
        if (!_queue.Writer.TryWrite(unit))
            throw new ObjectDisposedException(nameof(SqliteWriter));
        return unit.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        Savepoints? savepoints = null;
        var batch = new List<IWriteUnit>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
                batch.Add(unit);
            try
            {
                if (connection is null)
                {
                    connection = await _open(CancellationToken.None);
                    savepoints = new Savepoints(connection);
                }
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                foreach (var unit in batch)
                {
                    savepoints!.Begin(transaction);
                    if (await unit.RunAsync(connection, transaction))
                        savepoints.Release();
                    else
                        savepoints.Rollback();
                }
                await transaction.CommitAsync();
                foreach (var unit in batch)
                    unit.Complete();
            }
            catch (Exception ex)
            {
                foreach (var unit in batch)
                    unit.Fail(ex);
                if (connection is not null)
                {
                    savepoints?.Dispose();
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        if (connection is not null)
            await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    /// <summary>One savepoint name reused for every unit, with its statements prepared once per connection.</summary>
    private sealed class Savepoints(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteCommand _begin = Prepared(connection, "SAVEPOINT unit");
        private readonly SqliteCommand _release = Prepared(connection, "RELEASE unit");
        private readonly SqliteCommand _rollback = Prepared(connection, "ROLLBACK TO unit");

        public void Begin(SqliteTransaction transaction)
        {
            _begin.Transaction = _release.Transaction = _rollback.Transaction = transaction;
            _begin.ExecuteNonQuery();
        }

        public void Release() => _release.ExecuteNonQuery();

        public void Rollback()
        {
            _rollback.ExecuteNonQuery();
            _release.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _begin.Dispose();
            _release.Dispose();
            _rollback.Dispose();
        }

        private static SqliteCommand Prepared(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }

    private interface IWriteUnit
    {
        /// <summary>Runs the unit; false when it threw (its error is kept for the caller).</summary>
        Task<bool> RunAsync(DbConnection connection, DbTransaction transaction);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class WriteUnit<T>(Func<DbConnection, DbTransaction, Task<T>> work) : IWriteUnit
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<bool> RunAsync(DbConnection connection, DbTransaction transaction)
        {
            try
            {
                _result = await work(connection, transaction);
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is not null)
                Completion.TrySetException(_error);
            else
                Completion.TrySetResult(_result!);
        }

        public void Fail(Exception error) => Completion.TrySetException(_error ?? error);
    }
}
