using Dapper;

namespace BotEngine.Storage.Channels;

/// <summary>The <c>channels</c> table: configured channel instances, their inbound cursor and health.</summary>
public sealed class ChannelStore(Database database)
{
    private const string Columns = """
        c.id, c.type, c.settings, c.enabled, c.inbound_cursor, b.call_centre, b.line, c.created_at, c.updated_at,
        c.last_inbound_at, c.last_delivered_at, c.last_error, c.last_error_at
        """;

    public async Task<IReadOnlyList<ChannelRow>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ChannelRow>(
            $"SELECT {Columns} FROM channels c LEFT JOIN channel_bindings b ON b.channel = c.id ORDER BY c.id"), cancellationToken)).AsList();

    public Task<ChannelRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ChannelRow>(
            $"SELECT {Columns} FROM channels c LEFT JOIN channel_bindings b ON b.channel = c.id WHERE c.id = @id", new { id }), cancellationToken);

    /// <summary>Creates or replaces the instance and its binding in one transaction (no binding when both are null).</summary>
    public Task SaveAsync(string id, string type, string settings, bool enabled, string? callCentre, string? line, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("""
                INSERT INTO channels (id, type, settings, enabled, created_at, updated_at) VALUES (@id, @type, @settings, @enabled, @now, @now)
                ON CONFLICT (id) DO UPDATE SET type = excluded.type, settings = excluded.settings, enabled = excluded.enabled,
                  updated_at = excluded.updated_at,
                  inbound_cursor = CASE WHEN channels.type = excluded.type THEN channels.inbound_cursor END
                """, new { id, type, settings, enabled = enabled ? 1 : 0, now }, t);
            if (callCentre is null && line is null)
                await c.ExecuteAsync("DELETE FROM channel_bindings WHERE channel = @id", new { id }, t);
            else
                await c.ExecuteAsync("""
                    INSERT INTO channel_bindings (channel, call_centre, line, updated_at) VALUES (@id, @callCentre, @line, @now)
                    ON CONFLICT (channel) DO UPDATE SET call_centre = excluded.call_centre, line = excluded.line, updated_at = excluded.updated_at
                    """, new { id, callCentre, line, now }, t);
        }, cancellationToken);

    /// <summary>False when there was no such instance. Its binding goes with it; its conversations and messages stay.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM channel_bindings WHERE channel = @id", new { id }, t);
            return await c.ExecuteAsync("DELETE FROM channels WHERE id = @id", new { id }, t) > 0;
        }, cancellationToken);

    /// <summary>Moves the inbound cursor forward, and records the time of the inbound traffic it stands for.</summary>
    public Task SaveCursorAsync(string id, string cursor, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE channels SET inbound_cursor = @cursor, last_inbound_at = @now WHERE id = @id", new { id, cursor, now }, t), cancellationToken);

    /// <summary>Takes or renews the right to poll the channel until <paramref name="until"/>; false while another node holds it.</summary>
    public Task<bool> LeasePollingAsync(string id, string owner, long now, long until, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("""
            UPDATE channels SET poll_owner = @owner, poll_lease_until = @until
            WHERE id = @id AND (poll_owner IS NULL OR poll_owner = @owner OR poll_lease_until < @now)
            """, new { id, owner, now, until }, t) > 0, cancellationToken);

    /// <summary>Gives the polling right up (a node that stops polling lets another start at once).</summary>
    public Task ReleasePollingAsync(string id, string owner, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE channels SET poll_owner = NULL, poll_lease_until = NULL WHERE id = @id AND poll_owner = @owner", new { id, owner }, t), cancellationToken);

    public Task RecordInboundAsync(string id, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE channels SET last_inbound_at = @now WHERE id = @id", new { id, now }, t), cancellationToken);

    public Task RecordDeliveryAsync(string id, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE channels SET last_delivered_at = @now WHERE id = @id", new { id, now }, t), cancellationToken);

    public Task RecordErrorAsync(string id, string error, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE channels SET last_error = @error, last_error_at = @now WHERE id = @id", new { id, error, now }, t), cancellationToken);
}
