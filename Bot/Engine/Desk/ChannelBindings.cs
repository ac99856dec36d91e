using BotEngine.Storage;
using BotEngine.Storage.Desk;

namespace BotEngine.Engine.Desk;

/// <summary>
/// A channel's binding to a call centre and a support line: the channel's new dialogs start there, so the KB offers
/// the articles of that place, its business hours apply, and a handoff without a line of its own goes to that line.
/// </summary>
public sealed class ChannelBindings(ChannelBindingStore store, TimeProvider time)
{
    public Task<IReadOnlyList<ChannelBinding>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<ChannelBinding> SaveAsync(string channel, ChannelBindingRequest request, CancellationToken cancellationToken)
    {
        if (!Channels.ChannelConfigurations.IsChannelName(channel))
            throw new DeskException(400, $"channel: '{channel}' is not a channel name (lower-case letters, digits, '-', '_', '.'; up to 64).");
        var binding = new ChannelBinding(channel, Trimmed(request.CallCentre, "callCentre"), Trimmed(request.Line, "line"));
        if (binding.CallCentre is null && binding.Line is null)
            throw new DeskException(400, "Name a callCentre, a line, or both; to remove a binding, send a delete request instead.");
        await store.SaveAsync(binding, time.NowMicros(), cancellationToken);
        return binding;
    }

    public Task<bool> DeleteAsync(string channel, CancellationToken cancellationToken) => store.DeleteAsync(channel, cancellationToken);

    private static string? Trimmed(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        return value.Length <= 100 ? value : throw new DeskException(400, $"{field}: at most 100 characters.");
    }
}
