using Dapper;

namespace BotEngine.Storage;

/// <summary>Engine-wide values that must survive restarts and be shared by nodes (signing keys, generated secrets).</summary>
public sealed class SettingsStore(Database database)
{
    /// <summary>Returns the stored value, or stores and returns the one <paramref name="create"/> makes; the first writer wins.</summary>
    public Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING",
                new { key, value = create() }, t);
            return await c.ExecuteScalarAsync<string>("SELECT value FROM settings WHERE key = @key", new { key }, t) ?? "";
        }, cancellationToken);

    public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key, value }, t), cancellationToken);
}
