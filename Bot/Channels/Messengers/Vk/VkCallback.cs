using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Channels.Messengers.Vk;

/// <summary>
/// VK's Callback API: <c>POST /channels/vk/{channel}/callback</c>. A callback must name the channel's community and
/// carry its secret key; a server check is answered with the confirmation string, a new message is taken (its id
/// makes a repeat a no-op) and answered "ok", as VK requires of every event (otherwise it sends it again).
/// </summary>
public static class VkCallback
{
    /// <summary>Peer ids from here on are group chats (not taken yet: one dialog per private chat).</summary>
    private const long FirstChatPeer = 2_000_000_000;

    public static string PathOf(string channel) => $"/channels/vk/{Uri.EscapeDataString(channel)}/callback";

    public static void MapVkCallback(this IEndpointRouteBuilder app) =>
        app.MapPost("/channels/vk/{channel}/callback", ReceiveAsync)
            .ExcludeFromDescription()
            .AllowPublic("VK's Callback API: authenticated by the community's secret key in the body");

    private static async Task<IResult> ReceiveAsync(string channel, HttpRequest request, ChannelDirectory channels, MessengerInbound inbound, CancellationToken ct)
    {
        if (channels.Find(channel) is not { Type: VkChannelType.TypeName, Enabled: true } instance || instance.Setting("secret") is not { } secret)
            return Results.Problem(statusCode: 404, detail: $"There is no enabled VK channel '{channel}'.");
        JsonObject callback;
        try
        {
            callback = JsonNode.Parse(await WebhookSignature.ReadBodyAsync(request, ct)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, detail: $"The body is not a VK callback: {ex.Message}");
        }
        if (!WebhookSignature.SameSecret(JsonFields.Text(callback["secret"]), secret))
            return Results.Problem(statusCode: 403, detail: "The callback's secret is missing or wrong.");
        if (callback["group_id"]?.ToJsonString() != instance.Setting("groupId"))
            return Results.Problem(statusCode: 403, detail: $"The callback is for another community than {instance.Setting("groupId")}.");

        switch (JsonFields.Text(callback["type"]))
        {
            case "confirmation":
                return Results.Text(instance.Setting("confirmation") ?? "", "text/plain");
            case "message_new":
                if (callback["object"]?["message"] is not JsonObject message || ReadMessage(message, callback["object"]?["client_info"]) is not { } incoming)
                    return Results.Problem(statusCode: 400, detail: "A message_new callback needs object.message with id, peer_id and from_id.");
                if (long.Parse(incoming.Peer, CultureInfo.InvariantCulture) < FirstChatPeer)
                    await inbound.AcceptAsync(instance, incoming, ct);
                break;
        }
        return Results.Text("ok", "text/plain");
    }

    private static IncomingMessage? ReadMessage(JsonObject message, JsonNode? clientInfo)
    {
        if (JsonFields.Long(message["id"]) is not { } id || JsonFields.Long(message["peer_id"]) is not { } peer || JsonFields.Long(message["from_id"]) is not { } from || from <= 0)
            return null;
        var text = JsonFields.Text(message["text"]);
        var locale = JsonFields.Long(clientInfo?["lang_id"]) switch { 3 => "en", 0 => "ru", _ => null };
        var incoming = new IncomingMessage(Invariant(peer), Invariant(from), null, locale, "vk:" + Invariant(id), string.IsNullOrEmpty(text) ? null : text)
        {
            Payload = PayloadButton(JsonFields.Text(message["payload"])),
            LinkToken = JsonFields.Text(message["ref"]) is { Length: > 0 } reference ? reference : null,
            ChannelData = new JsonObject { ["messageId"] = id, ["peerId"] = peer },
        };
        if (message["geo"]?["coordinates"] is JsonObject at && JsonFields.Double(at["latitude"]) is { } lat && JsonFields.Double(at["longitude"]) is { } lon)
            incoming = incoming with { Location = (lat, lon) };
        return message["attachments"] is JsonArray { Count: > 0 } attachments && FileOf(attachments[0], id) is { } file ? incoming with { File = file } : incoming;
    }

    /// <summary>Our buttons carry {"button":"m:..."}; VK's own start button carries {"command":"start"}, which is ignored.</summary>
    private static string? PayloadButton(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
            return null;
        try
        {
            return JsonNode.Parse(payload) is JsonObject parsed ? JsonFields.Text(parsed["button"]) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static RemoteFile? FileOf(JsonNode? attachment, long messageId) => JsonFields.Text(attachment?["type"]) switch
    {
        // A photo comes in several sizes: the largest is taken.
        "photo" when attachment?["photo"]?["sizes"] is JsonArray sizes && sizes.OfType<JsonObject>()
            .MaxBy(s => (JsonFields.Long(s["width"]) ?? 0) * (JsonFields.Long(s["height"]) ?? 0)) is { } largest && JsonFields.Text(largest["url"]) is { } url
            => new RemoteFile(url, $"photo-{messageId}.jpg", "image/jpeg", null),
        "doc" when attachment?["doc"] is JsonObject doc && JsonFields.Text(doc["url"]) is { } url
            => new RemoteFile(url, DocName(doc), null, JsonFields.Long(doc["size"])),
        _ => null,
    };

    private static string DocName(JsonObject doc)
    {
        var title = JsonFields.Text(doc["title"]) ?? "file";
        return JsonFields.Text(doc["ext"]) is { Length: > 0 } ext && !title.EndsWith("." + ext, StringComparison.OrdinalIgnoreCase) ? $"{title}.{ext}" : title;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
