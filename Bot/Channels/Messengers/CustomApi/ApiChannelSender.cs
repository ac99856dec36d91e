using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;

namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>
/// Pushes our replies to the app's webhook as JSON, signed: <c>X-BotEngine-Timestamp</c> (unix seconds) and
/// <c>X-BotEngine-Signature: sha256=hex(HMAC-SHA256(webhookSecret, timestamp + "." + body))</c>. A failure is retried
/// with back-off by the outbox and parked after its attempts (replayable from monitoring); 429 or 503 with
/// Retry-After waits as asked; 410 Gone parks at once. Without a webhook the app polls, and nothing is pushed.
/// </summary>
public sealed class ApiChannelSender(ChannelDirectory channels, IHttpClientFactory httpClients, TimeProvider time) : IChannelSender
{
    public const string TimestampHeader = "X-BotEngine-Timestamp";
    public const string SignatureHeader = "X-BotEngine-Signature";

    public string Channel => ApiChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = channels.Find(delivery.Channel) ?? throw new InvalidOperationException($"API channel '{delivery.Channel}' is not configured.");
        if (channel.Setting("webhookUrl") is not { } url || channel.Setting("webhookSecret") is not { } secret)
            return; // read by polling
        if (!channel.Enabled)
            throw new InvalidOperationException($"API channel '{delivery.Channel}' is disabled; its messages wait until it is enabled.");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        var at = activity.Timestamp ?? time.GetUtcNow();
        var reply = new ApiChannelReply(delivery.MessageId, channel.Id, MessengerConversations.PeerOf(ApiChannelType.TypeName, delivery.ConversationId),
            ApiChannelCursor.Of((long)(at - DateTimeOffset.UnixEpoch).TotalMicroseconds, delivery.MessageId), at, activity);
        var body = JsonSerializer.SerializeToUtf8Bytes(reply, ActivityJson.Options);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(secret, timestamp, body));
        using var response = await httpClients.CreateClient(MessengerInbound.HttpClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return;
        var problem = $"The app's webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        throw response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable when response.Headers.RetryAfter?.Delta is { } wait => new ChannelRetryLaterException(wait, problem),
            HttpStatusCode.Gone => new ChannelRefusedException(problem),
            _ => new HttpRequestException(problem),
        };
    }

    /// <summary>The signature the app checks: hex HMAC-SHA256 under the webhook secret of "timestamp.body".</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed, timestamp.Length + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
