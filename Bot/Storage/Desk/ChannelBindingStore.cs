using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>The channels' bindings to a call centre and a support line.</summary>
public sealed class ChannelBindingStore(Database database)
{
    /// <summary>Every binding, by channel.</summary>
    public async Task<IReadOnlyList<ChannelBinding>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ChannelBinding>(
            "SELECT channel, call_centre AS CallCentre, line FROM channel_bindings ORDER BY channel"), cancellationToken)).AsList();

    /// <summary>Creates or replaces the channel's binding.</summary>
    public Task SaveAsync(ChannelBinding binding, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO channel_bindings (channel, call_centre, line, updated_at) VALUES (@Channel, @CallCentre, @Line, @now)
            ON CONFLICT (channel) DO UPDATE SET call_centre = excluded.call_centre, line = excluded.line, updated_at = excluded.updated_at
            """, new { binding.Channel, binding.CallCentre, binding.Line, now }, t), cancellationToken);

    /// <summary>False when the channel had no binding.</summary>
    public Task<bool> DeleteAsync(string channel, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("DELETE FROM channel_bindings WHERE channel = @channel", new { channel }, t) > 0,
            cancellationToken);
}
