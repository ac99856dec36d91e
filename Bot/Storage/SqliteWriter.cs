using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BotEngine.Storage;

/// <summary>
/// SQLite's single writer as one loop on a thread of its own: queued write units run back to back on one
/// connection and commit together (group commit). A unit that fails sends its batch back to one transaction per
/// unit, so it fails alone; callers are answered only after the commit that made their work durable. Units may run
/// twice (after such a rollback), so they keep no state outside the database but their own locals.
/// </summary>
/// <remarks>
/// SQLite's calls are synchronous whatever their names say, so the loop owns a thread instead of holding a pool
/// thread that request handlers need. Checkpoints (the only fsyncs in WAL mode with synchronous=NORMAL) run on
/// another connection and thread, so a commit rarely waits for one: only when the log has grown past
/// <see cref="DefaultRestartFrames"/> does the writer finish a checkpoint itself, to start the log over.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    /// <summary>Commits that start a checkpoint before its interval is over (about 1000 WAL pages, SQLite's own default).</summary>
    private const int CheckpointCommits = 100;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);
    /// <summary>
    /// WAL frames (4 KiB pages; 256 MiB) past which the writer starts the log over itself. Under a steady stream of
    /// commits the checkpointer never finds the log wholly copied, so SQLite never starts it over, and the file grew
    /// without end (3 GB in the pipeline bench's 25 s), every commit writing to newly allocated blocks. A restart stops
    /// the writer for a checkpoint's syncs (15-25 ms here), so it is kept rare.
    /// </summary>
    public const long DefaultRestartFrames = 65_536;
    /// <summary>How long the restart waits for readers still on the log, in milliseconds; past it the writer goes on and tries again later.</summary>
    private const int RestartWaitMs = 20;
    private readonly Channel<IWriteUnit> _queue = Channel.CreateUnbounded<IWriteUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _checkpointDue = new(0, 1);
    private readonly Thread _checkpointer;
    private volatile bool _stopping;
    private volatile bool _restartDue;
    private readonly long _restartFrames;
    private long _commits;

    public SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open, long restartFrames = DefaultRestartFrames)
    {
        _open = open;
        _restartFrames = restartFrames;
        new Thread(Run) { IsBackground = true, Name = "sqlite-writer" }.Start();
        _checkpointer = new Thread(Checkpoint) { IsBackground = true, Name = "sqlite-checkpoint" };
        _checkpointer.Start();
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new WriteUnit<T>(work);
        if (!_queue.Writer.TryWrite(unit))
            throw new ObjectDisposedException(nameof(SqliteWriter));
        return unit.Completion.Task.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        var batch = new List<IWriteUnit>(MaxBatch);
        var commitsSinceSignal = 0;
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
                    batch.Add(unit);
                try
                {
                    if (connection is null)
                    {
                        connection = _open(CancellationToken.None).GetAwaiter().GetResult();
                        Execute(connection, "PRAGMA wal_autocheckpoint=0");
                    }
                    // The whole batch in one transaction. A unit that throws spoils it: roll back and give every unit of
                    // the batch a transaction of its own, so one bad unit fails alone.
                    if (!TryCommit(connection, batch))
                    {
                        foreach (var unit in batch)
                        {
                            if (!TryCommit(connection, [unit]))
                                unit.Complete();
                        }
                    }
                    Interlocked.Increment(ref _commits);
                    if (_restartDue)
                    {
                        _restartDue = false;
                        RestartLog(connection);
                    }
                    if (++commitsSinceSignal >= CheckpointCommits)
                    {
                        commitsSinceSignal = 0;
                        if (_checkpointDue.CurrentCount == 0)
                            _checkpointDue.Release();
                    }
                }
                catch (Exception ex)
                {
                    foreach (var unit in batch)
                        unit.Fail(ex);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
            _stopping = true;
            if (_checkpointDue.CurrentCount == 0)
                _checkpointDue.Release();
            _stopped.TrySetResult();
        }
    }

    /// <summary>Copies the WAL into the database file off the writer's path; PASSIVE never blocks the writer or readers.</summary>
    private void Checkpoint()
    {
        SqliteConnection? connection = null;
        var checkpointed = 0L;
        while (true)
        {
            _checkpointDue.Wait(CheckpointInterval);
            if (_stopping)
                break;
            var commits = Interlocked.Read(ref _commits);
            // While the writer's restart is due, its checkpoint must not find this one running (it would give up at once).
            if (commits == checkpointed || _restartDue)
                continue;
            checkpointed = commits;
            try
            {
                connection ??= _open(CancellationToken.None).GetAwaiter().GetResult();
                // A log still this long after the checkpoint is not being started over: the writer does it between two commits.
                if (RunCheckpoint(connection, "PASSIVE") > _restartFrames)
                    _restartDue = true;
            }
            catch (SqliteException)
            {
                // A checkpoint that cannot run now runs with the next one; the WAL only grows meanwhile.
                connection?.Dispose();
                connection = null;
            }
        }
        if (connection is not null)
        {
            // The last checkpoint folds the whole WAL into the database file, as SQLite does when its last connection closes.
            try
            {
                Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            }
            catch (SqliteException)
            {
            }
            connection.Dispose();
        }
    }

    /// <summary>Runs a checkpoint; answers the log's length in frames.</summary>
    private static long RunCheckpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    /// <summary>
    /// Copies what the checkpointer has not copied yet (little: it has just run) and waits briefly for readers to leave
    /// the log, so that the next commit writes the log from its start again. A reader that stays longer leaves the log
    /// as it is, and the checkpointer asks again after its next run.
    /// </summary>
    private static void RestartLog(SqliteConnection connection)
    {
        Execute(connection, $"PRAGMA busy_timeout={RestartWaitMs}");
        try
        {
            RunCheckpoint(connection, "RESTART");
        }
        catch (SqliteException)
        {
            // Busy: tried again later.
        }
        finally
        {
            Execute(connection, $"PRAGMA busy_timeout={Database.SqliteBusyTimeoutMs}");
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs the units in one transaction and answers them after the commit; false (rolled back, nobody answered) when one threw.</summary>
    private static bool TryCommit(SqliteConnection connection, List<IWriteUnit> units)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var unit in units)
        {
            // The units' SQLite calls complete synchronously; waiting here blocks nothing but this thread.
            if (!unit.RunAsync(connection, transaction).GetAwaiter().GetResult())
            {
                transaction.Rollback();
                return false;
            }
        }
        transaction.Commit();
        foreach (var unit in units)
            unit.Complete();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
        await Task.Run(_checkpointer.Join);
    }
}
