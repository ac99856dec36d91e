using System.Reflection;
using Dapper;

namespace BotEngine.Bot.Storage;

/// <summary>
/// Applies the embedded numbered SQL scripts (Storage/Migrations/NNN_name.sql) that a database has not seen yet,
/// each in its own transaction with the version bump, so an older database upgrades in place at start.
/// </summary>
public sealed partial class SchemaMigrator(Database database, ILogger<SchemaMigrator> logger)
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static int LatestVersion => Scripts[^1].Version;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", transaction: t);
            if (database.Dialect == SqlDialect.Postgres)
                await c.ExecuteAsync("SELECT pg_advisory_xact_lock(7301)", transaction: t);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version", transaction: t) == 0)
                await c.ExecuteAsync("INSERT INTO schema_version (version) VALUES (0)", transaction: t);
        }, cancellationToken);

        var current = 0;
        foreach (var (version, name, sql) in Scripts)
        {
            current = await database.WriteAsync(async (c, t) =>
            {
                if (database.Dialect == SqlDialect.Postgres)
                    await c.ExecuteAsync("SELECT pg_advisory_xact_lock(7301)", transaction: t);
                var applied = await c.ExecuteScalarAsync<int>("SELECT version FROM schema_version", transaction: t);
                if (applied >= version)
                    return applied;
                await c.ExecuteAsync(sql, transaction: t);
                await c.ExecuteAsync("UPDATE schema_version SET version = @version", new { version }, t);
                LogApplied(logger, version, name);
                return version;
            }, cancellationToken);
        }
        return current;
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "BotEngine.Bot.Storage.Migrations.";
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
