using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// The Connector's signing keys, read from its OpenID metadata (<c>jwks_uri</c>) and kept per metadata URL for a day.
/// A token naming a key we do not hold makes one refresh (the Connector rotated its keys), at most once per
/// <see cref="RefreshGap"/>, so tokens with made-up key ids cannot make us fetch on every request.
/// </summary>
public sealed partial class ConnectorKeys(IHttpClientFactory httpClients, TimeProvider time, ILogger<ConnectorKeys> logger)
{
    public const string HttpClientName = "botframework";
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(24);
    private static readonly TimeSpan RefreshGap = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, KeySet> _sets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);

    /// <summary>How often the keys were fetched (the tests read it: not on every request).</summary>
    public int Fetches => _fetches;

    private int _fetches;

    /// <summary>The key with this id, fetched when not held (or held too long); null when the Connector has no such key.</summary>
    public async Task<ConnectorSigningKey?> FindAsync(string metadataUrl, string keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_sets.TryGetValue(metadataUrl, out var set) && now - set.FetchedAt < KeepFor
            && (set.Keys.TryGetValue(keyId, out var held) || now - set.FetchedAt < RefreshGap))
            return held;

        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched meanwhile.
            now = time.GetUtcNow();
            if (_sets.TryGetValue(metadataUrl, out set) && now - set.FetchedAt < RefreshGap)
                return set.Keys.GetValueOrDefault(keyId);
            set = await FetchAsync(metadataUrl, cancellationToken);
            _sets[metadataUrl] = set;
            return set.Keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<KeySet> FetchAsync(string metadataUrl, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        var http = httpClients.CreateClient(HttpClientName);
        var metadata = OpenIdConnectConfiguration.Create(await http.GetStringAsync(metadataUrl, cancellationToken));
        if (!Uri.TryCreate(metadata.JwksUri, UriKind.Absolute, out var jwksUri) || jwksUri.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"The OpenID metadata at {metadataUrl} names no jwks_uri.");
        var json = await http.GetStringAsync(jwksUri, cancellationToken);
        var keys = new Dictionary<string, ConnectorSigningKey>(StringComparer.Ordinal);
        var endorsements = Endorsements(json);
        foreach (var key in new JsonWebKeySet(json).Keys.Where(k => !string.IsNullOrEmpty(k.Kid)))
            keys[key.Kid] = new ConnectorSigningKey(key, endorsements.GetValueOrDefault(key.Kid) ?? new HashSet<string>());
        LogFetched(logger, metadataUrl, keys.Count);
        return new KeySet(keys, time.GetUtcNow());
    }

    /// <summary>Each key's endorsements, read from the JWKS as sent (the JWK type keeps unknown members loosely typed).</summary>
    private static Dictionary<string, IReadOnlySet<string>> Endorsements(string json)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return result;
        }
        foreach (var key in (document?["keys"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (key["kid"] is JsonValue kid && kid.TryGetValue<string>(out var id) && key["endorsements"] is JsonArray list)
            {
                result[id] = list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null)
                    .OfType<string>().ToHashSet(StringComparer.Ordinal);
            }
        }
        return result;
    }

    private sealed record KeySet(IReadOnlyDictionary<string, ConnectorSigningKey> Keys, DateTimeOffset FetchedAt);

    [LoggerMessage(EventId = 1420, Level = LogLevel.Information, Message = "Bot Framework: fetched {Count} signing keys from {MetadataUrl}")]
    private static partial void LogFetched(ILogger logger, string metadataUrl, int count);
}
