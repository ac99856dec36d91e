using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Calls Viber's REST bot API (<c>POST {apiBaseUrl}/{method}</c> with X-Viber-Auth-Token). A non-zero status is
/// Viber's refusal: too many requests waits, a client who cannot receive (not subscribed, no device) parks the
/// delivery, anything else fails and is retried.
/// </summary>
public sealed class ViberApi(IHttpClientFactory httpClients, OutboundPacer pacer)
{
    public const string TokenHeader = "X-Viber-Auth-Token";

    public async Task<JsonObject> CallAsync(ChannelInstance channel, string method, JsonObject body, CancellationToken cancellationToken)
    {
        var token = channel.Setting("token") ?? throw new InvalidOperationException($"Viber channel '{channel.Id}' has no token.");
        var baseUrl = channel.Setting("apiBaseUrl") ?? ViberChannelType.DefaultApiBaseUrl;
        await pacer.WaitAsync(channel.Id, SendRates.ViberBot, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{method}") { Content = JsonContent.Create(body) };
        request.Headers.Add(TokenHeader, token);
        using var response = await httpClients.CreateClient(MessengerInbound.HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            throw new ChannelRetryLaterException(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), $"Viber answered {(int)response.StatusCode} to {method}.");
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? [];
        var status = answer["status"]?.GetValue<int>() ?? -1;
        var message = $"Viber refused {method}: status {status} ({answer["status_message"]?.GetValue<string>()})";
        return status switch
        {
            0 => answer,
            // tooManyRequests
            12 => throw new ChannelRetryLaterException(TimeSpan.FromSeconds(2), message),
            // receiverNotRegistered, receiverNotSubscribed, publicAccountBlocked, receiverNoSuitableDevice: no retry changes these.
            5 or 6 or 7 or 11 => throw new ChannelRefusedException(message),
            _ => throw new InvalidOperationException(message),
        };
    }
}
