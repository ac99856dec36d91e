using Dapper;

namespace BotEngine.Storage.Audit;

/// <summary>The statements of the audit log: append a change, and read changes newest first.</summary>
public sealed class AuditStore(Database database)
{
    public Task AppendAsync(AuditRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO audit_log (id, at, actor, area, action, subject, detail) VALUES (@Id, @At, @Actor, @Area, @Action, @Subject, @Detail)", row, t),
            cancellationToken);

    /// <summary>Changes newest first, optionally of one area, before a (at, id) cursor, with the actor's login (an API key's name for a change made with a key).</summary>
    public async Task<IReadOnlyList<AuditRow>> ListAsync(string? area, long? beforeAt, string? beforeId, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string> { "1 = 1" };
        if (area is not null)
            where.Add("a.area = @area");
        if (beforeAt is not null)
            where.Add("(a.at < @beforeAt OR (a.at = @beforeAt AND a.id < @beforeId))");
        return (await database.ReadAsync(c => c.QueryAsync<AuditRow>($"""
            SELECT a.id, a.at, a.actor, COALESCE(o.login, k.name) AS actor_login, a.area, a.action, a.subject, a.detail
            FROM audit_log a LEFT JOIN operators o ON o.id = a.actor LEFT JOIN api_keys k ON 'apikey:' || k.id = a.actor
            WHERE {string.Join(" AND ", where)} ORDER BY a.at DESC, a.id DESC LIMIT @limit
            """, new { area, beforeAt, beforeId, limit }), cancellationToken)).AsList();
    }
}
