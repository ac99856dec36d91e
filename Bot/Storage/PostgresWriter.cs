using System.Data.Common;
using System.Threading.Channels;
using Npgsql;

namespace BotEngine.Storage;

/// <summary>
/// Group commit on PostgreSQL: write units keyed by conversation go to one of a few lanes (a conversation always to
/// the same one), and each lane runs what queued up meanwhile in one transaction on its own connection, so many
/// turns share one commit (one WAL flush). A unit that fails sends its batch back to one transaction per unit, as
/// on SQLite; a deadlock with another node's work reruns the unit alone, up to <see cref="MaxDeadlockRetries"/> times.
/// </summary>
/// <remarks>
/// Keying by conversation keeps the rows of one conversation (its sequence, its dialog) in one lane, so two lanes'
/// batches do not wait for each other's locks on them.
/// </remarks>
internal sealed class PostgresWriter : IAsyncDisposable
{
    private const int MaxBatch = 128;
    private const int MaxDeadlockRetries = 3;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<IWriteUnit>[] _lanes;
    private readonly Task[] _loops;

    public PostgresWriter(NpgsqlDataSource dataSource, int lanes)
    {
        _dataSource = dataSource;
        _lanes = Enumerable.Range(0, Math.Max(1, lanes))
            .Select(_ => Channel.CreateUnbounded<IWriteUnit>(new UnboundedChannelOptions { SingleReader = true }))
            .ToArray();
        _loops = _lanes.Select(lane => Task.Run(() => RunAsync(lane.Reader))).ToArray();
    }

    public Task<T> WriteAsync<T>(string key, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new WriteUnit<T>(work);
        var lane = _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_lanes.Length)];
        if (!lane.Writer.TryWrite(unit))
            throw new ObjectDisposedException(nameof(PostgresWriter));
        return unit.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(ChannelReader<IWriteUnit> lane)
    {
        NpgsqlConnection? connection = null;
        var batch = new List<IWriteUnit>(MaxBatch);
        while (await lane.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && lane.TryRead(out var unit))
                batch.Add(unit);
            try
            {
                connection ??= await _dataSource.OpenConnectionAsync();
                if (batch.Count > 1 && await TryCommitAsync(connection, batch))
                    continue;
                foreach (var unit in batch)
                    await CommitAloneAsync(connection, unit);
            }
            catch (Exception ex)
            {
                // The connection failed (or the commit did): whether the batch committed is unknown, so each caller hears the error.
                foreach (var unit in batch)
                    unit.Fail(ex);
                if (connection is not null)
                    await connection.DisposeAsync();
                connection = null;
            }
        }
        if (connection is not null)
            await connection.DisposeAsync();
    }

    private static async Task CommitAloneAsync(NpgsqlConnection connection, IWriteUnit unit)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryCommitAsync(connection, [unit]))
                return;
            if (attempt > MaxDeadlockRetries || unit.Error is not PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
            {
                unit.Complete();
                return;
            }
        }
    }

    /// <summary>Runs the units in one transaction and answers them after the commit; false (rolled back, nobody answered) when one threw.</summary>
    private static async Task<bool> TryCommitAsync(NpgsqlConnection connection, List<IWriteUnit> units)
    {
        await using var transaction = await connection.BeginTransactionAsync();
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
        foreach (var lane in _lanes)
            lane.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }
}
