using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>
/// Locks that nodes sharing PostgreSQL take for the rest of a transaction (advisory locks); on SQLite the single
/// writer already excludes others, so taking one does nothing.
/// </summary>
public sealed class DeskLocks(Database database)
{
    private const long RoutingLock = 7302;
    private const long NoticeLock = 7303;

    /// <summary>Routing decisions and what changes what routing sees (operator statuses).</summary>
    public Task LockRoutingAsync(DbConnection c, DbTransaction t) => LockAsync(c, t, RoutingLock);

    /// <summary>Queue notices, so two nodes never tell a client the same change twice.</summary>
    public Task LockQueueNoticesAsync(DbConnection c, DbTransaction t) => LockAsync(c, t, NoticeLock);

    private async Task LockAsync(DbConnection c, DbTransaction t, long key)
    {
        if (database.Dialect == SqlDialect.Postgres)
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key }, t);
    }
}
