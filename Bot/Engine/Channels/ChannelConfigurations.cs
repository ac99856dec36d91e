using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotEngine.Storage;
using BotEngine.Storage.Channels;

namespace BotEngine.Engine.Channels;

/// <summary>
/// Adds, changes and removes channel instances at run time. Credentials are write-only: a request that leaves one out
/// keeps the stored value, and nothing read from here carries them.
/// </summary>
public sealed partial class ChannelConfigurations(ChannelStore store, ChannelDirectory directory, IEnumerable<IChannelType> types, TimeProvider time)
{
    private readonly Dictionary<string, IChannelType> _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => _types.Keys;

    public async Task<IReadOnlyList<ChannelInstance>> ListAsync(CancellationToken cancellationToken)
    {
        await directory.RefreshAsync(cancellationToken);
        return directory.All.OrderBy(c => c.Id, StringComparer.Ordinal).Select(WithoutSecrets).ToList();
    }

    public async Task<ChannelInstance?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await directory.RefreshAsync(cancellationToken);
        return directory.Find(id) is { } found ? WithoutSecrets(found) : null;
    }

    /// <summary>The names of the credentials an instance has stored (to show "set" without the value).</summary>
    public IReadOnlyList<string> SecretsSet(ChannelInstance instance) =>
        directory.Find(instance.Id) is { } stored && _types.TryGetValue(stored.Type, out var type)
            ? type.SecretSettings.Where(s => stored.Settings.ContainsKey(s)).Order(StringComparer.Ordinal).ToList()
            : [];

    public string? WebhookPathOf(ChannelInstance instance) => _types.TryGetValue(instance.Type, out var type) ? type.WebhookPath(instance.Id) : null;

    public async Task<ChannelInstance> SaveAsync(string id, ChannelRequest request, CancellationToken cancellationToken)
    {
        if (!IsChannelName(id))
            throw new ChannelSettingsException($"id: '{id}' is not a channel name (lower-case letters, digits, '-', '_', '.'; up to 64).");
        if (id == ChannelDirectory.DirectLine)
            throw new ChannelSettingsException("id: 'directline' is the built-in Direct Line channel; bind it with /api/v1/channel-bindings.");
        if (string.IsNullOrWhiteSpace(request.Type))
            throw new ChannelSettingsException($"type: required, one of {string.Join(", ", _types.Keys.Order())}.");
        if (!_types.TryGetValue(request.Type, out var type))
            throw new ChannelSettingsException($"type: '{request.Type}' is not a channel type this engine has; it has {string.Join(", ", _types.Keys.Order())}.");

        var settings = (JsonObject)(request.Settings?.DeepClone() ?? new JsonObject());
        var existing = await store.FindAsync(id, cancellationToken);
        if (existing is not null && existing.Type == type.Name && JsonNode.Parse(existing.Settings) is JsonObject stored)
        {
            foreach (var secret in type.SecretSettings)
            {
                if (!settings.ContainsKey(secret) && stored[secret] is { } kept)
                    settings[secret] = kept.DeepClone();
            }
        }
        var valid = type.Validate(settings);
        await store.SaveAsync(id, type.Name, valid.ToJsonString(), request.Enabled ?? true,
            Trimmed(request.CallCentre, "callCentre"), Trimmed(request.Line, "line"), time.NowMicros(), cancellationToken);
        await directory.RefreshAsync(cancellationToken);
        return WithoutSecrets(directory.Find(id)!);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(id, cancellationToken);
        await directory.RefreshAsync(cancellationToken);
        return deleted;
    }

    public static bool IsChannelName(string name) => ChannelName().IsMatch(name);

    private ChannelInstance WithoutSecrets(ChannelInstance instance)
    {
        var shown = (JsonObject)instance.Settings.DeepClone();
        if (_types.TryGetValue(instance.Type, out var type))
        {
            foreach (var secret in type.SecretSettings)
                shown.Remove(secret);
        }
        return instance with { Settings = shown, InboundCursor = null };
    }

    private static string? Trimmed(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        return value.Length <= 100 ? value : throw new ChannelSettingsException($"{field}: at most 100 characters.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex ChannelName();
}
