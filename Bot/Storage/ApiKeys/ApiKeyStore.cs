using Dapper;

namespace BotEngine.Storage.ApiKeys;

/// <summary>The statements of API keys: add, find by id, list, revoke, and note the last use.</summary>
public sealed class ApiKeyStore(Database database)
{
    private const string Columns = """
        k.id, k.name, k.secret_hash, k.scopes, k.created_by, o.login AS created_by_login, k.created_at, k.revoked_at, k.revoked_by, k.last_used_at
        FROM api_keys k LEFT JOIN operators o ON o.id = k.created_by
        """;

    public Task AddAsync(ApiKeyRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO api_keys (id, name, secret_hash, scopes, created_by, created_at)
            VALUES (@Id, @Name, @SecretHash, @Scopes, @CreatedBy, @CreatedAt)
            """, row, t), cancellationToken);

    public Task<ApiKeyRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ApiKeyRow?>($"SELECT {Columns} WHERE k.id = @id", new { id }), cancellationToken);

    /// <summary>Every key, newest first, revoked ones too.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ApiKeyRow>($"SELECT {Columns} ORDER BY k.created_at DESC, k.id DESC"), cancellationToken)).AsList();

    /// <summary>Revokes the key; false when there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(string id, string revokedBy, long at, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @at), revoked_by = COALESCE(revoked_by, @revokedBy) WHERE id = @id",
            new { id, revokedBy, at }, t), cancellationToken) > 0;

    /// <summary>Notes a use (the callers update it at most once a minute per key).</summary>
    public Task TouchAsync(string id, long at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE api_keys SET last_used_at = @at WHERE id = @id", new { id, at }, t), cancellationToken);
}
