using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.Messengers.Vk;

/// <summary>
/// Calls VK's API (<c>POST {apiBaseUrl}/{method}</c>, form fields with access_token and v). VK answers errors with
/// HTTP 200 and <c>{"error":{"error_code","error_msg"}}</c>: too many requests and flood control wait, a client who
/// does not allow the community's messages parks the delivery, anything else fails and is retried.
/// </summary>
public sealed class VkApi(IHttpClientFactory httpClients, OutboundPacer pacer)
{
    public async Task<JsonNode?> CallAsync(ChannelInstance channel, string method, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        await pacer.WaitAsync(channel.Id, SendRates.VkCommunity, cancellationToken);
        var form = new Dictionary<string, string>(fields, StringComparer.Ordinal)
        {
            ["access_token"] = channel.Setting("token") ?? throw new InvalidOperationException($"VK channel '{channel.Id}' has no token."),
            ["v"] = channel.Setting("apiVersion") ?? VkChannelType.DefaultApiVersion,
        };
        var baseUrl = channel.Setting("apiBaseUrl") ?? VkChannelType.DefaultApiBaseUrl;
        using var content = new FormUrlEncodedContent(form);
        using var response = await httpClients.CreateClient(MessengerInbound.HttpClientName).PostAsync($"{baseUrl}/{method}", content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            throw new ChannelRetryLaterException(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), $"VK answered {(int)response.StatusCode} to {method}.");
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? [];
        if (answer["error"] is not JsonObject error)
            return answer["response"];
        var code = error["error_code"]?.GetValue<int>() ?? -1;
        var message = $"VK refused {method}: error {code} ({error["error_msg"]?.GetValue<string>()})";
        throw code switch
        {
            // too many requests per second, flood control, internal server error
            6 or 9 or 10 => new ChannelRetryLaterException(TimeSpan.FromSeconds(code == 9 ? 10 : 1), message),
            // the user does not allow messages from the community, or has blocked it, or is gone
            900 or 901 or 902 or 18 => new ChannelRefusedException(message),
            _ => new InvalidOperationException(message),
        };
    }
}
