using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Viber's callbacks: <c>POST /channels/viber/{channel}/webhook</c>. The body must carry the HMAC-SHA256 of the bot's
/// token in X-Viber-Content-Signature, checked before anything is read. Messages are taken (the message token makes a
/// repeat a no-op), a conversation opened from a deep link attaches the account; other events are acknowledged.
/// </summary>
public static class ViberWebhook
{
    public const string SignatureHeader = "X-Viber-Content-Signature";

    public static string PathOf(string channel) => $"/channels/viber/{Uri.EscapeDataString(channel)}/webhook";

    public static void MapViberWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost("/channels/viber/{channel}/webhook", ReceiveAsync)
            .ExcludeFromDescription()
            .AllowPublic("Viber's webhook: authenticated by the HMAC signature of the bot's token");

    private static async Task<IResult> ReceiveAsync(string channel, HttpRequest request, ChannelDirectory channels, MessengerInbound inbound, CancellationToken ct)
    {
        if (channels.Find(channel) is not { Type: ViberChannelType.TypeName, Enabled: true } instance || instance.Setting("token") is not { } token)
            return Results.Problem(statusCode: 404, detail: $"There is no enabled Viber channel '{channel}'.");
        var body = await WebhookSignature.ReadBodyAsync(request, ct);
        if (!WebhookSignature.Matches(token, body, request.Headers[SignatureHeader].ToString()))
            return Results.Problem(statusCode: 401, detail: $"The {SignatureHeader} header is missing or does not sign this body.");

        JsonObject callback;
        try
        {
            callback = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, detail: $"The body is not a Viber callback: {ex.Message}");
        }
        switch (JsonFields.Text(callback["event"]))
        {
            case "message":
                if (ReadMessage(callback) is not { } message)
                    return Results.Problem(statusCode: 400, detail: "A Viber message callback needs message_token, sender.id and message.type.");
                // Answered only after the message is stored: a failure here makes Viber send it again.
                await inbound.AcceptAsync(instance, message, ct);
                break;
            case "conversation_started" when JsonFields.Text(callback["context"]) is { Length: > 0 } context && JsonFields.Text(callback["user"]?["id"]) is { } user:
                await inbound.RedeemAsync(instance, user, JsonFields.Text(callback["user"]?["name"]), context, ct);
                break;
        }
        return Results.Ok();
    }

    private static IncomingMessage? ReadMessage(JsonObject callback)
    {
        var token = callback["message_token"] is JsonValue t ? t.ToJsonString().Trim('"') : null;
        var sender = JsonFields.Text(callback["sender"]?["id"]);
        if (token is null || sender is null || callback["message"] is not JsonObject body || JsonFields.Text(body["type"]) is not { } type)
            return null;
        var text = JsonFields.Text(body["text"]);
        var media = JsonFields.Text(body["media"]);
        var tracking = JsonFields.Text(body["tracking_data"]);
        var message = new IncomingMessage(sender, sender, JsonFields.Text(callback["sender"]?["name"]), JsonFields.Text(callback["sender"]?["language"]), "viber:" + token, text)
        {
            AnsweredMessageId = tracking,
            Payload = ButtonPayload.TryParse(text, out _, out _) ? text : null,
            ChannelData = new JsonObject { ["messageToken"] = token, ["type"] = type },
        };
        return type switch
        {
            "contact" => message with { SharedPhone = JsonFields.Text(body["contact"]?["phone_number"]), Text = text ?? JsonFields.Text(body["contact"]?["phone_number"]) },
            "location" when body["location"] is JsonObject at && JsonFields.Double(at["lat"]) is { } lat && JsonFields.Double(at["lon"]) is { } lon
                => message with { Location = (lat, lon) },
            "url" => message with { Text = media ?? text },
            "picture" or "video" or "file" when media is not null => message with
            {
                File = new RemoteFile(media, JsonFields.Text(body["file_name"]) ?? (type == "picture" ? $"photo-{token}.jpg" : null),
                    type == "picture" ? "image/jpeg" : null, body["size"] is JsonValue size && size.TryGetValue<long>(out var bytes) ? bytes : null),
            },
            _ => message,
        };
    }
}
