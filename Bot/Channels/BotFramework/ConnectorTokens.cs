using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// The bearer token our calls to the Connector carry: OAuth client credentials of the App ID and secret for the scope
/// https://api.botframework.com/.default, kept per channel (and its settings' version) until 5 minutes before it expires.
/// </summary>
public sealed class ConnectorTokens(IHttpClientFactory httpClients, TimeProvider time)
{
    public const string Scope = "https://api.botframework.com/.default";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public async Task<string> GetAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        var key = KeyOf(channel);
        if (_tokens.TryGetValue(key, out var held) && time.GetUtcNow() < held.RenewAt)
            return held.Token;
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(key, out held) && time.GetUtcNow() < held.RenewAt)
                return held.Token;
            var (token, lifetime) = await FetchAsync(channel, cancellationToken);
            _tokens[key] = (token, time.GetUtcNow() + lifetime - RenewBefore);
            return token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The Connector refused our token: the next call asks for a new one.</summary>
    public void Forget(ChannelInstance channel) => _tokens.TryRemove(KeyOf(channel), out _);

    /// <summary>A changed secret or endpoint is a new channel version (UpdatedAt), so its token is fetched anew.</summary>
    private static string KeyOf(ChannelInstance channel) => $"{channel.Id}@{channel.UpdatedAt.UtcTicks}";

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        var endpoint = BotFrameworkChannelType.TokenEndpoint(channel);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = channel.Setting("appId") ?? throw new ChannelRefusedException($"Bot Framework channel '{channel.Id}' has no appId."),
            ["client_secret"] = channel.Setting("appPassword") ?? throw new ChannelRefusedException($"Bot Framework channel '{channel.Id}' has no appPassword."),
            ["scope"] = Scope,
        });
        using var response = await httpClients.CreateClient(ConnectorKeys.HttpClientName).PostAsync(endpoint, form, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            throw new ChannelRetryLaterException(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5), $"The token endpoint answered {(int)response.StatusCode}.");
        var answer = await ReadAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Wrong App ID or secret: no retry fixes that; the deliveries park until the channel's settings are corrected and they are replayed.
            throw new ChannelRefusedException($"The token endpoint refused the App ID's credentials: {(int)response.StatusCode} {JsonFields.Text(answer?["error"])} {JsonFields.Text(answer?["error_description"])}".TrimEnd());
        }
        var token = JsonFields.Text(answer?["access_token"]) ?? throw new InvalidOperationException("The token endpoint's answer has no access_token.");
        var seconds = JsonFields.Long(answer?["expires_in"]) ?? (long.TryParse(JsonFields.Text(answer?["expires_in"]), out var s) ? s : 3600);
        return (token, TimeSpan.FromSeconds(Math.Clamp(seconds, 60, 86_400)));
    }

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
