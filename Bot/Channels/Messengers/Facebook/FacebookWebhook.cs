using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Channels.Messengers.Facebook;

/// <summary>
/// Messenger's webhook: <c>GET /channels/facebook/{channel}/webhook</c> answers Meta's subscription check (the
/// challenge, when the verify token matches); <c>POST</c> takes events signed with the app secret in
/// X-Hub-Signature-256, checked before anything is read. Messages and button presses are taken (the message id makes
/// a repeat a no-op); a referral from an m.me deep link attaches the account to its client.
/// </summary>
public static class FacebookWebhook
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public static string PathOf(string channel) => $"/channels/facebook/{Uri.EscapeDataString(channel)}/webhook";

    public static void MapFacebookWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/channels/facebook/{channel}/webhook", Verify)
            .ExcludeFromDescription()
            .AllowPublic("Meta's subscription check: answered only with the channel's verify token");
        app.MapPost("/channels/facebook/{channel}/webhook", ReceiveAsync)
            .ExcludeFromDescription()
            .AllowPublic("Messenger's webhook: authenticated by the app secret's signature");
    }

    private static IResult Verify(string channel, HttpRequest request, ChannelDirectory channels)
    {
        if (channels.Find(channel) is not { Type: FacebookChannelType.TypeName, Enabled: true } instance || instance.Setting("verifyToken") is not { } expected)
            return Results.Problem(statusCode: 404, detail: $"There is no enabled Facebook channel '{channel}'.");
        if (request.Query["hub.mode"] != "subscribe" || !WebhookSignature.SameSecret(request.Query["hub.verify_token"].ToString(), expected))
            return Results.Problem(statusCode: 403, detail: "hub.mode must be 'subscribe' and hub.verify_token the channel's verify token.");
        var challenge = request.Query["hub.challenge"].ToString();
        return challenge.Length is > 0 and <= 200 ? Results.Text(challenge, "text/plain") : Results.Problem(statusCode: 400, detail: "hub.challenge: required, at most 200 characters.");
    }

    private static async Task<IResult> ReceiveAsync(string channel, HttpRequest request, ChannelDirectory channels, MessengerInbound inbound, CancellationToken ct)
    {
        if (channels.Find(channel) is not { Type: FacebookChannelType.TypeName, Enabled: true } instance || instance.Setting("appSecret") is not { } secret)
            return Results.Problem(statusCode: 404, detail: $"There is no enabled Facebook channel '{channel}'.");
        var body = await WebhookSignature.ReadBodyAsync(request, ct);
        var given = request.Headers[SignatureHeader].ToString();
        if (!given.StartsWith("sha256=", StringComparison.Ordinal) || !WebhookSignature.Matches(secret, body, given[7..]))
            return Results.Problem(statusCode: 401, detail: $"The {SignatureHeader} header is missing or does not sign this body.");

        JsonObject callback;
        try
        {
            callback = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, detail: $"The body is not a Messenger webhook event: {ex.Message}");
        }
        if (JsonFields.Text(callback["object"]) != "page" || callback["entry"] is not JsonArray entries)
            return Results.Problem(statusCode: 400, detail: "A Messenger webhook event has object 'page' and an entry array.");

        // Answered only after every event is stored: a failure makes Meta send the batch again, and repeats are no-ops.
        foreach (var messaging in entries.SelectMany(e => e?["messaging"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonFields.Text(messaging["sender"]?["id"]) is not { } sender)
                continue;
            if (messaging["message"] is JsonObject message && ReadMessage(sender, message) is { } incoming)
                await inbound.AcceptAsync(instance, incoming, ct);
            else if (messaging["postback"] is JsonObject postback)
                await inbound.AcceptAsync(instance, ReadPostback(sender, postback, messaging["timestamp"]), ct);
            else if (JsonFields.Text(messaging["referral"]?["ref"]) is { Length: > 0 } reference)
                await inbound.RedeemAsync(instance, sender, null, reference, ct);
        }
        return Results.Ok();
    }

    private static IncomingMessage? ReadMessage(string sender, JsonObject message)
    {
        if (message["is_echo"] is JsonValue echo && echo.TryGetValue<bool>(out var isEcho) && isEcho)
            return null;
        if (JsonFields.Text(message["mid"]) is not { } mid)
            return null;
        var payload = JsonFields.Text(message["quick_reply"]?["payload"]);
        var incoming = new IncomingMessage(sender, sender, null, null, "fb:" + mid, JsonFields.Text(message["text"]))
        {
            Payload = ButtonPayload.TryParse(payload, out _, out _) ? payload : null,
            // The "share my phone" quick reply sends the number the person's account holds.
            SharedPhone = payload is { Length: >= 7 and <= 20 } && payload.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')') ? payload : null,
            ChannelData = new JsonObject { ["mid"] = mid },
        };
        foreach (var attachment in (message["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = JsonFields.Text(attachment["type"]);
            if (type == "location" && attachment["payload"]?["coordinates"] is JsonObject at && JsonFields.Double(at["lat"]) is { } lat && JsonFields.Double(at["long"]) is { } lon)
                return incoming with { Location = (lat, lon) };
            if (type is "image" or "file" or "video" or "audio" && JsonFields.Text(attachment["payload"]?["url"]) is { } url)
                return incoming with { File = new RemoteFile(url, type == "image" ? $"photo-{mid[^Math.Min(12, mid.Length)..]}.jpg" : null, type == "image" ? "image/jpeg" : null, null) };
        }
        return incoming;
    }

    private static IncomingMessage ReadPostback(string sender, JsonObject postback, JsonNode? timestamp)
    {
        var id = JsonFields.Text(postback["mid"]) ?? $"{sender}:{timestamp?.ToJsonString() ?? "0"}";
        return new IncomingMessage(sender, sender, null, null, "fb-postback:" + id, JsonFields.Text(postback["title"]))
        {
            Payload = JsonFields.Text(postback["payload"]),
            LinkToken = JsonFields.Text(postback["referral"]?["ref"]) is { Length: > 0 } reference ? reference : null,
        };
    }
}
