using System.Text.RegularExpressions;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Desk;

/// <summary>
/// A channel's binding to a call centre and a support line: the channel's new dialogs start there, so the KB offers
/// the articles of that place, its business hours apply, and a handoff without a line of its own goes to that line.
/// </summary>
public sealed partial class ChannelBindings(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<ChannelBinding>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ChannelBinding>(
            "SELECT channel, call_centre AS CallCentre, line FROM channel_bindings ORDER BY channel"), cancellationToken)).AsList();

    public async Task<ChannelBinding> SaveAsync(string channel, ChannelBindingRequest request, CancellationToken cancellationToken)
    {
        if (!ChannelName().IsMatch(channel))
            throw new DeskException(400, $"channel: '{channel}' is not a channel name (lower-case letters, digits, '-', '_', '.'; up to 64).");
        var binding = new ChannelBinding(channel, Trimmed(request.CallCentre, "callCentre"), Trimmed(request.Line, "line"));
        if (binding.CallCentre is null && binding.Line is null)
            throw new DeskException(400, "Name a callCentre, a line, or both; DELETE removes a binding.");
        var now = time.NowMicros();
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO channel_bindings (channel, call_centre, line, updated_at) VALUES (@Channel, @CallCentre, @Line, @now)
            ON CONFLICT (channel) DO UPDATE SET call_centre = excluded.call_centre, line = excluded.line, updated_at = excluded.updated_at
            """, new { binding.Channel, binding.CallCentre, binding.Line, now }, t), cancellationToken);
        return binding;
    }

    public Task<bool> DeleteAsync(string channel, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("DELETE FROM channel_bindings WHERE channel = @channel", new { channel }, t) > 0,
            cancellationToken);

    private static string? Trimmed(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        return value.Length <= 100 ? value : throw new DeskException(400, $"{field}: at most 100 characters.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex ChannelName();
}
