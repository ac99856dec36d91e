using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Delivers our activities to Viber: text (plain; Viber shows no Markdown), buttons as a keyboard under the last part,
/// pictures and files by their public URL. Every part carries our message id as tracking data, which Viber returns
/// with the client's next message, so a pressed button is found by its label in the message that offered it.
/// </summary>
public sealed class ViberSender(ChannelDirectory channels, ViberApi api, FileStore files, SentParts parts) : IChannelSender
{
    public string Channel => ViberChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "Viber");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        if (activity.Type != Activity.Types.Message)
            return; // Viber has no typing indicator.
        var receiver = MessengerConversations.PeerOf(ViberChannelType.TypeName, delivery.ConversationId);
        var content = MessengerContent.From(activity, delivery.MessageId, ChannelCapabilities.Of(ViberChannelType.TypeName));
        var keyboard = Keyboard(content, activity.Locale);

        var messages = new List<JsonObject>();
        messages.AddRange(content.Parts.Select(text => new JsonObject { ["type"] = "text", ["text"] = text }));
        foreach (var file in content.Files)
            messages.Add(await FileMessageAsync(file, cancellationToken));
        if (messages.Count == 0 && keyboard is not null)
            messages.Add(new JsonObject { ["type"] = "text", ["text"] = "👇" });

        for (var i = parts.Of(delivery.MessageId); i < messages.Count; i++)
        {
            var message = messages[i];
            message["receiver"] = receiver;
            message["min_api_version"] = 3;
            message["sender"] = new JsonObject { ["name"] = channel.Setting("senderName") ?? "BotEngine" };
            message["tracking_data"] = delivery.MessageId;
            if (i == messages.Count - 1 && keyboard is not null)
                message["keyboard"] = keyboard.DeepClone();
            await api.CallAsync(channel, "send_message", message, cancellationToken);
            parts.Sent(delivery.MessageId, i + 1);
        }
        parts.Done(delivery.MessageId);
    }

    private async Task<JsonObject> FileMessageAsync(Attachment file, CancellationToken cancellationToken)
    {
        if (MessengerContent.IsImage(file))
            return new JsonObject { ["type"] = "picture", ["text"] = "", ["media"] = file.ContentUrl };
        // Viber wants the size of a file; ours is known, anyone else's is left to Viber to find out.
        long size = 0;
        if (Uri.TryCreate(file.ContentUrl, UriKind.Absolute, out var uri) && uri.Segments is [_, "files/", var id, ..]
            && await files.FindAsync(id.TrimEnd('/'), cancellationToken) is { } stored)
            size = stored.Size;
        return new JsonObject { ["type"] = "file", ["media"] = file.ContentUrl, ["size"] = size, ["file_name"] = file.Name ?? "file" };
    }

    private static JsonObject? Keyboard(MessengerContent content, string? locale)
    {
        var buttons = new JsonArray();
        foreach (var button in content.Buttons)
        {
            buttons.Add(button.Url is { } url
                ? Button("open-url", url, button.Label)
                : Button("reply", button.Label, button.Label));
        }
        if (content.AsksForPhone)
            buttons.Add(Button("share-phone", "phone", locale == "en" ? "📱 Share my phone number" : "📱 Отправить мой номер"));
        return buttons.Count == 0 ? null : new JsonObject { ["Type"] = "keyboard", ["DefaultHeight"] = false, ["Buttons"] = buttons };
    }

    private static JsonObject Button(string action, string body, string text) => new()
    {
        ["Columns"] = 6,
        ["Rows"] = 1,
        ["ActionType"] = action,
        ["ActionBody"] = body,
        ["Text"] = text,
    };
}
