using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BotEngine.Bot.Storage;

/// <summary>
/// SQLite's single writer as one loop: queued write units run back to back on one connection and commit
/// together (group commit). A unit that fails sends its batch back to one transaction per unit, so it fails
/// alone; callers are answered only after the commit that made their work durable. Units may run twice (after
/// such a rollback), so they keep no state outside the database but their own locals.
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
        var batch = new List<IWriteUnit>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
                batch.Add(unit);
            try
            {
                connection ??= await _open(CancellationToken.None);
                // The whole batch in one transaction. A unit that throws spoils it: roll back and give every unit of
                // the batch a transaction of its own, so one bad unit fails alone.
                if (!await TryCommitAsync(connection, batch))
                {
                    foreach (var unit in batch)
                    {
                        if (!await TryCommitAsync(connection, [unit]))
                            unit.Complete();
                    }
                }
            }
            catch (Exception ex)
            {
                foreach (var unit in batch)
                    unit.Fail(ex);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        if (connection is not null)
            await connection.DisposeAsync();
    }

    /// <summary>Runs the units in one transaction and answers them after the commit; false (rolled back, nobody answered) when one threw.</summary>
    private static async Task<bool> TryCommitAsync(SqliteConnection connection, List<IWriteUnit> units)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var unit in units)
        {
            if (!await unit.RunAsync(connection, transaction))
            {
                await transaction.RollbackAsync();
                return false;
            }
        }
        await transaction.CommitAsync();
        foreach (var unit in units)
            unit.Complete();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
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
            _error = null;
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
