using System.Data.Common;
using System.Text.Json;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>The call centres' settings (business hours, timers, queue notices), one JSON document per call centre.</summary>
public sealed class CallCentreStore(Database database)
{
    public Task<CallCentreSettings> LoadSettingsAsync(string callCentre, CancellationToken cancellationToken) =>
        database.ReadAsync(c => LoadSettingsAsync(c, null, callCentre), cancellationToken);

    /// <summary>The stored settings, or the defaults for a call centre nobody configured.</summary>
    public static async Task<CallCentreSettings> LoadSettingsAsync(DbConnection c, DbTransaction? t, string callCentre)
    {
        var json = await c.ExecuteScalarAsync<string?>("SELECT settings FROM call_centres WHERE id = @id", new { id = callCentre }, t);
        return json is null
            ? new CallCentreSettings { CallCentre = callCentre }
            : JsonSerializer.Deserialize<CallCentreSettings>(json, HandoffStore.Json)! with { CallCentre = callCentre };
    }

    /// <summary>Every configured call centre's settings (those nobody configured have the defaults).</summary>
    public static async Task<List<CallCentreSettings>> ConfiguredAsync(DbConnection c, DbTransaction? t) =>
        (await c.QueryAsync<(string Id, string Settings)>("SELECT id, settings FROM call_centres", transaction: t))
            .Select(r => JsonSerializer.Deserialize<CallCentreSettings>(r.Settings, HandoffStore.Json)! with { CallCentre = r.Id }).ToList();

    public Task SaveSettingsAsync(string callCentre, CallCentreSettings settings, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(settings, HandoffStore.Json);
        return database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO call_centres (id, settings) VALUES (@id, @json) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings",
            new { id = callCentre, json }, t), cancellationToken);
    }
}
