using System.Text.Json;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>The position templates, one JSON document per name.</summary>
public sealed class PositionStore(Database database)
{
    public Task SaveAsync(PositionTemplate position, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(position, HandoffStore.Json);
        return database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO positions (name, body) VALUES (@Name, @body) ON CONFLICT (name) DO UPDATE SET body = excluded.body",
            new { position.Name, body }, t), cancellationToken);
    }

    public async Task<PositionTemplate?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var body = await database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT body FROM positions WHERE name = @name", new { name }), cancellationToken);
        return body is null ? null : JsonSerializer.Deserialize<PositionTemplate>(body, HandoffStore.Json);
    }

    /// <summary>Every position, by name.</summary>
    public async Task<IReadOnlyList<PositionTemplate>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>("SELECT body FROM positions ORDER BY name"), cancellationToken))
            .Select(b => JsonSerializer.Deserialize<PositionTemplate>(b, HandoffStore.Json)!).ToList();
}
