using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>The operators' accounts and their status log.</summary>
public sealed class OperatorStore(Database database)
{
    public static Task<OperatorRow?> LoadAsync(DbConnection c, DbTransaction? t, string id) =>
        c.QuerySingleOrDefaultAsync<OperatorRow>("SELECT * FROM operators WHERE id = @id", new { id }, t);

    /// <summary>As <see cref="LoadAsync(DbConnection, DbTransaction?, string)"/>, locking the row on PostgreSQL until the transaction ends.</summary>
    public Task<OperatorRow?> LoadForUpdateAsync(DbConnection c, DbTransaction t, string id) =>
        c.QuerySingleOrDefaultAsync<OperatorRow>("SELECT * FROM operators WHERE id = @id" + database.ForUpdate, new { id }, t);

    public Task<OperatorRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => LoadAsync(c, null, id), cancellationToken);

    public Task<OperatorRow?> FindByLoginAsync(string login, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<OperatorRow>("SELECT * FROM operators WHERE login = @login", new { login }), cancellationToken);

    public static async Task<bool> ExistsAsync(DbConnection c, DbTransaction t, string id) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM operators WHERE id = @id", new { id }, t) > 0;

    /// <summary>Every operator, by login.</summary>
    public async Task<List<OperatorRow>> ListAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => ListAsync(c, null), cancellationToken);

    public static async Task<List<OperatorRow>> ListAsync(DbConnection c, DbTransaction? t) =>
        (await c.QueryAsync<OperatorRow>("SELECT * FROM operators ORDER BY login", transaction: t)).AsList();

    /// <summary>Every operator, by display name.</summary>
    public async Task<List<OperatorRow>> ListByDisplayNameAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<OperatorRow>("SELECT * FROM operators ORDER BY display_name"), cancellationToken)).AsList();

    public static async Task<List<OperatorRow>> OnlineAsync(DbConnection c, DbTransaction t) =>
        (await c.QueryAsync<OperatorRow>("SELECT * FROM operators WHERE status = 'online'", transaction: t)).AsList();

    /// <summary>Enabled operators other than <paramref name="exceptId"/>.</summary>
    public static async Task<List<OperatorRow>> OtherEnabledAsync(DbConnection c, DbTransaction t, string exceptId) =>
        (await c.QueryAsync<OperatorRow>("SELECT * FROM operators WHERE disabled_at IS NULL AND id <> @exceptId", new { exceptId }, t)).AsList();

    /// <summary>Stores a new operator; false, storing nothing, when the login is taken.</summary>
    public async Task<bool> InsertAsync(OperatorRow row, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO operators (id, login, display_name, password_hash, permissions, max_dialogs, status, status_changed_at, created_at, routing, position)
            VALUES (@Id, @Login, @DisplayName, @PasswordHash, @Permissions, @MaxDialogs, @Status, @StatusChangedAt, @CreatedAt, @Routing, @Position)
            ON CONFLICT (login) DO NOTHING
            """, row, t), cancellationToken) > 0;

    /// <summary>Writes the row's display name, permissions, capacity and routing profile.</summary>
    public static Task UpdateSettingsAsync(DbConnection c, DbTransaction t, OperatorRow row) =>
        c.ExecuteAsync(
            "UPDATE operators SET display_name = @DisplayName, permissions = @Permissions, max_dialogs = @MaxDialogs, routing = @Routing WHERE id = @Id",
            row, t);

    /// <summary>Sets the password hash and ends every session; the updated row, or null when there is no such operator.</summary>
    public Task<OperatorRow?> SetPasswordAsync(string id, string hash, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var changed = await c.ExecuteAsync(
                "UPDATE operators SET password_hash = @hash, token_version = token_version + 1 WHERE id = @id", new { hash, id }, t);
            return changed == 0 ? null : await c.QuerySingleAsync<OperatorRow>("SELECT * FROM operators WHERE id = @id", new { id }, t);
        }, cancellationToken);

    /// <summary>Raises the token version: tokens issued so far stop working.</summary>
    public Task RevokeSessionsAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE operators SET token_version = token_version + 1 WHERE id = @id", new { id }, t), cancellationToken);

    /// <summary>Marks the account disabled and ends its sessions.</summary>
    public static Task DisableAsync(DbConnection c, DbTransaction t, string id, long at) =>
        c.ExecuteAsync("UPDATE operators SET disabled_at = @at, token_version = token_version + 1 WHERE id = @id", new { at, id }, t);

    /// <summary>Clears the disabled mark; false when there is no such operator.</summary>
    public async Task<bool> EnableAsync(string id, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE operators SET disabled_at = NULL WHERE id = @id", new { id }, t), cancellationToken) > 0;

    /// <summary>Sets the status (an operator who was never idle becomes idle now) and logs the change.</summary>
    public static async Task SetStatusAsync(DbConnection c, DbTransaction t, string id, string status, long at)
    {
        await c.ExecuteAsync("UPDATE operators SET status = @status, status_changed_at = @at, idle_since = COALESCE(idle_since, @at) WHERE id = @id",
            new { status, at, id }, t);
        await c.ExecuteAsync("INSERT INTO operator_status_log (operator_id, status, at) VALUES (@id, @status, @at)",
            new { id, status, at }, t);
    }

    /// <summary>Adds "idle since <paramref name="at"/>" for the operators to a batch.</summary>
    public void AddIdleSince(SqlBatch batch, string[] operatorIds, long at) =>
        batch.Add($"UPDATE operators SET idle_since = @NowMicros WHERE {database.InList("id", "OperatorIds")}", new { NowMicros = at, OperatorIds = operatorIds });
}
