using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Posts activities to a conversation on the Connector: <c>POST {serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]</c>
/// with our bearer token. A 429 waits for its Retry-After and a 5xx is retried by the outbox; 401, 403 and 404 (the bot
/// was removed, the conversation is gone, the credentials are wrong) cannot be fixed by retrying and park the delivery.
/// </summary>
public sealed class ConnectorClient(IHttpClientFactory httpClients, ConnectorTokens tokens, TimeProvider time)
{
    public async Task SendAsync(ChannelInstance channel, string serviceUrl, string conversationId, string? replyToId, JsonObject activity, CancellationToken cancellationToken)
    {
        var url = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities"
            + (replyToId is null ? "" : "/" + Uri.EscapeDataString(replyToId));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(activity) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(channel, cancellationToken));
        using var response = await httpClients.CreateClient(ConnectorKeys.HttpClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return;
        var status = (int)response.StatusCode;
        var detail = $"The Connector answered {status} to a message for conversation {conversationId}.";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new ChannelRetryLaterException(RetryAfter(response) ?? TimeSpan.FromSeconds(2), detail);
        if (status >= 500)
            throw RetryAfter(response) is { } wait ? new ChannelRetryLaterException(wait, detail) : new HttpRequestException(detail, null, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            tokens.Forget(channel);
        throw new ChannelRefusedException(detail);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
