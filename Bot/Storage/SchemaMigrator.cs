using Dapper;

namespace BotEngine.Storage;

/// <summary>
/// Applies the embedded numbered SQL scripts (Storage/Migrations/NNN_name.sql) that a database has not seen yet,
/// each in its own transaction with its record in schema_migrations, so an older database upgrades in place at start.
/// </summary>
public sealed partial class SchemaMigrator(Database database, ILogger<SchemaMigrator> logger)
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies every script not yet recorded, in order; returns the highest applied version.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        await database.WriteAsync(async (c, t) =>
        {
            await LockAsync(c, t);
            await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", transaction: t);
            applied.UnionWith(await c.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: t));
        }, cancellationToken);

        // Each script is recorded by number, so one merged out of order is still applied.
        foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await database.WriteAsync(async (c, t) =>
            {
                await LockAsync(c, t);
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, t) > 0)
                    return;
                await c.ExecuteAsync(ForDialect(sql, database.Dialect), transaction: t);
                await c.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, t);
                LogApplied(logger, version, name);
            }, cancellationToken);
        }
        return LatestVersion;
    }

    /// <summary>
    /// The part of a script for one engine: after a line <c>--@ sqlite</c> or <c>--@ postgres</c> the statements belong to
    /// that engine alone (full-text search differs), after <c>--@ both</c> to both again; a script without them is whole.
    /// </summary>
    public static string ForDialect(string sql, SqlDialect dialect)
    {
        var kept = new System.Text.StringBuilder();
        var section = "both";
        foreach (var line in sql.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith("--@ ", StringComparison.Ordinal))
            {
                section = trimmed[4..].Trim();
                continue;
            }
            if (section == "both" || section == (dialect == SqlDialect.Postgres ? "postgres" : "sqlite"))
                kept.Append(trimmed).Append('\n');
        }
        return kept.ToString();
    }

    private async Task LockAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t)
    {
        // Two nodes starting together must not both apply a script.
        if (database.Dialect == SqlDialect.Postgres)
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(7301)", transaction: t);
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "BotEngine.Storage.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var digits = new string(name.SkipWhile(c => c == '_').TakeWhile(char.IsDigit).ToArray());
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)
            .ToList();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
