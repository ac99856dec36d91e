using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;

namespace BotEngine.Channels.Messengers.Vk;

/// <summary>
/// Delivers our activities to VK with messages.send: plain text, buttons as an inline keyboard under the last part,
/// files as links (VK takes files only through its own upload servers). Each part's random_id is derived from our
/// message id, so VK drops a part that a retry sends twice.
/// </summary>
public sealed class VkSender(ChannelDirectory channels, VkApi api, SentParts parts) : IChannelSender
{
    /// <summary>VK's inline keyboards hold up to 6 rows.</summary>
    private const int MaxRows = 6;

    public string Channel => VkChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "VK");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        var peer = MessengerConversations.PeerOf(VkChannelType.TypeName, delivery.ConversationId);
        if (activity.Type == Activity.Types.Typing)
        {
            await api.CallAsync(channel, "messages.setActivity", new Dictionary<string, string> { ["peer_id"] = peer, ["type"] = "typing" }, cancellationToken);
            return;
        }
        if (activity.Type != Activity.Types.Message)
            return;
        var content = MessengerContent.From(activity, delivery.MessageId, ChannelCapabilities.Of(VkChannelType.TypeName));
        var texts = content.Parts.Count > 0 || content.Buttons.Count == 0 ? content.Parts : ["👇"];
        for (var i = parts.Of(delivery.MessageId); i < texts.Count; i++)
        {
            var fields = new Dictionary<string, string>
            {
                ["peer_id"] = peer,
                ["random_id"] = RandomId(delivery.MessageId, i).ToString(CultureInfo.InvariantCulture),
                ["message"] = texts[i],
            };
            if (i == texts.Count - 1 && Keyboard(content) is { } keyboard)
                fields["keyboard"] = keyboard;
            await api.CallAsync(channel, "messages.send", fields, cancellationToken);
            parts.Sent(delivery.MessageId, i + 1);
        }
        parts.Done(delivery.MessageId);
    }

    /// <summary>A positive 31-bit number from our message id and the part: the same for every retry of that part.</summary>
    public static int RandomId(string messageId, int part) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{messageId}:{part}")), 0) & 0x7FFF_FFFF);

    private static string? Keyboard(MessengerContent content)
    {
        if (content.Buttons.Count == 0)
            return null;
        var perRow = content.Buttons.Count > MaxRows ? 2 : 1;
        var rows = new JsonArray();
        foreach (var row in content.Buttons.Chunk(perRow))
        {
            rows.Add(new JsonArray([.. row.Select(b => (JsonNode)(b.Url is { } url
                ? new JsonObject { ["action"] = new JsonObject { ["type"] = "open_link", ["link"] = url, ["label"] = b.Label } }
                : new JsonObject
                {
                    ["action"] = new JsonObject { ["type"] = "text", ["label"] = b.Label, ["payload"] = new JsonObject { ["button"] = b.Payload }.ToJsonString() },
                    ["color"] = "primary",
                }))]));
        }
        return new JsonObject { ["inline"] = true, ["buttons"] = rows }.ToJsonString();
    }
}
