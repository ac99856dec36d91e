using System.Text.Json.Nodes;
using BotEngine.Storage;
using BotEngine.Storage.Channels;

namespace BotEngine.Engine.Channels;

/// <summary>
/// The configured channel instances, held in memory for the hot paths (a delivery's sender, a webhook's secret) and
/// reloaded after a change here or, for changes made on another node, on <see cref="ChannelRefreshLoop"/>'s beat.
/// </summary>
public sealed class ChannelDirectory(ChannelStore store)
{
    /// <summary>The Direct Line channel is built in: it has no row and cannot be configured away.</summary>
    public const string DirectLine = "directline";

    private volatile IReadOnlyDictionary<string, ChannelInstance> _instances = new Dictionary<string, ChannelInstance>();

    /// <summary>Raised after a reload that changed something (channel loops start and stop on it).</summary>
    public event Action? Changed;

    public IReadOnlyCollection<ChannelInstance> All => (IReadOnlyCollection<ChannelInstance>)_instances.Values;

    public ChannelInstance? Find(string id) => _instances.GetValueOrDefault(id);

    /// <summary>The type of a channel name as stored on messages: a configured instance's type; a built-in channel's (Direct Line's) is its name.</summary>
    public string TypeOf(string channel) => Find(channel)?.Type ?? channel;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(cancellationToken);
        var loaded = rows.ToDictionary(r => r.Id, ToInstance, StringComparer.Ordinal);
        var before = _instances;
        _instances = loaded;
        if (before.Count != loaded.Count || loaded.Any(l => !before.TryGetValue(l.Key, out var b) || !SameConfiguration(b, l.Value)))
            Changed?.Invoke();
    }

    private static bool SameConfiguration(ChannelInstance a, ChannelInstance b) =>
        a.UpdatedAt == b.UpdatedAt && a.Type == b.Type && a.Enabled == b.Enabled;

    private static ChannelInstance ToInstance(ChannelRow row) => new(
        row.Id,
        row.Type,
        JsonNode.Parse(row.Settings) as JsonObject ?? [],
        row.Enabled != 0,
        row.CallCentre,
        row.Line,
        row.InboundCursor,
        TimeExtensions.FromMicros(row.UpdatedAt),
        new ChannelHealth(At(row.LastInboundAt), At(row.LastDeliveredAt), row.LastError, At(row.LastErrorAt)));

    private static DateTimeOffset? At(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;
}
