using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.Messengers.Facebook;

/// <summary>
/// Calls Messenger's Send API (<c>POST {apiBaseUrl}/{version}/me/messages?access_token=...</c>). Meta's errors come as
/// <c>{"error":{"code","error_subcode","message"}}</c>: rate limits wait, a person the page may no longer write to
/// parks the delivery, anything else fails and is retried.
/// </summary>
public sealed class FacebookApi(IHttpClientFactory httpClients, OutboundPacer pacer)
{
    public async Task SendAsync(ChannelInstance channel, JsonObject message, CancellationToken cancellationToken)
    {
        var token = channel.Setting("pageToken") ?? throw new InvalidOperationException($"Facebook channel '{channel.Id}' has no page token.");
        var url = $"{channel.Setting("apiBaseUrl") ?? FacebookChannelType.DefaultApiBaseUrl}/{channel.Setting("apiVersion") ?? FacebookChannelType.DefaultApiVersion}/me/messages?access_token={Uri.EscapeDataString(token)}";
        await pacer.WaitAsync(channel.Id, SendRates.FacebookPage, cancellationToken);
        using var response = await httpClients.CreateClient(MessengerInbound.HttpClientName).PostAsJsonAsync(url, message, cancellationToken);
        if (response.IsSuccessStatusCode)
            return;
        JsonObject? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["error"] as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var code = error?["code"]?.GetValue<int>() ?? 0;
        var subcode = error?["error_subcode"]?.GetValue<int>() ?? 0;
        var text = $"Facebook refused the message: {(int)response.StatusCode} code {code}/{subcode} ({error?["message"]?.GetValue<string>()})";
        throw (code, subcode) switch
        {
            // application and page rate limits
            (4 or 17 or 32 or 613, _) => new ChannelRetryLaterException(TimeSpan.FromSeconds(30), text),
            // outside the allowed window, the person is unavailable
            (10, 2018278) or (551, _) or (_, 2018108) or (_, 1545041) => new ChannelRefusedException(text),
            _ when (int)response.StatusCode >= 500 => new ChannelRetryLaterException(TimeSpan.FromSeconds(5), text),
            _ => new InvalidOperationException(text),
        };
    }
}
