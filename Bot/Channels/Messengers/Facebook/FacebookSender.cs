using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Messages;

namespace BotEngine.Channels.Messengers.Facebook;

/// <summary>
/// Delivers our activities to Messenger: plain text, buttons as quick replies on the last part, pictures and files by
/// URL. Messenger's window rule decides how: within 24 hours of the person's last message a normal response; after
/// that only an operator's message, tagged HUMAN_AGENT, within 7 days; anything else is refused and parked.
/// </summary>
public sealed class FacebookSender(ChannelDirectory channels, FacebookApi api, SentActivities conversations, SentParts parts, TimeProvider time) : IChannelSender
{
    private static readonly TimeSpan ResponseWindow = TimeSpan.FromHours(24);
    private static readonly TimeSpan HumanAgentWindow = TimeSpan.FromDays(7);

    public string Channel => FacebookChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "Facebook");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        var recipient = new JsonObject { ["id"] = MessengerConversations.PeerOf(FacebookChannelType.TypeName, delivery.ConversationId) };
        if (activity.Type == Activity.Types.Typing)
        {
            await api.SendAsync(channel, new JsonObject { ["recipient"] = recipient, ["sender_action"] = "typing_on" }, cancellationToken);
            return;
        }
        if (activity.Type != Activity.Types.Message)
            return;

        var (type, tag) = await WindowAsync(delivery.ConversationId, activity, cancellationToken);
        var content = MessengerContent.From(activity, delivery.MessageId, ChannelCapabilities.Of(FacebookChannelType.TypeName));
        var messages = new List<JsonObject>();
        messages.AddRange(content.Parts.Select(text => new JsonObject { ["text"] = text }));
        messages.AddRange(content.Files.Select(file => new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = MessengerContent.IsImage(file) ? "image" : "file",
                ["payload"] = new JsonObject { ["url"] = file.ContentUrl, ["is_reusable"] = false },
            },
        }));
        var quickReplies = QuickReplies(content);
        if (messages.Count == 0 && quickReplies is not null)
            messages.Add(new JsonObject { ["text"] = "👇" });

        for (var i = parts.Of(delivery.MessageId); i < messages.Count; i++)
        {
            if (i == messages.Count - 1 && quickReplies is not null)
                messages[i]["quick_replies"] = quickReplies;
            var request = new JsonObject { ["recipient"] = recipient.DeepClone(), ["messaging_type"] = type, ["message"] = messages[i] };
            if (tag is not null)
                request["tag"] = tag;
            await api.SendAsync(channel, request, cancellationToken);
            parts.Sent(delivery.MessageId, i + 1);
        }
        parts.Done(delivery.MessageId);
    }

    private async Task<(string Type, string? Tag)> WindowAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        var last = await conversations.LastInboundAtAsync(conversationId, cancellationToken);
        var since = last is { } micros ? time.GetUtcNow() - TimeExtensions.FromMicros(micros) : (TimeSpan?)null;
        return Window(since, activity.ChannelData?["author"]?.GetValue<string>() == "operator");
    }

    /// <summary>How Messenger lets the page write, given how long ago the person last wrote; throws when it does not.</summary>
    public static (string Type, string? Tag) Window(TimeSpan? sinceClientWrote, bool fromOperator)
    {
        if (sinceClientWrote <= ResponseWindow)
            return ("RESPONSE", null);
        if (fromOperator && sinceClientWrote <= HumanAgentWindow)
            return ("MESSAGE_TAG", "HUMAN_AGENT");
        throw new ChannelRefusedException(fromOperator
            ? "Messenger allows an operator's message only within 7 days of the person's last message."
            : "Messenger allows the bot's messages only within 24 hours of the person's last message.");
    }

    private static JsonArray? QuickReplies(MessengerContent content)
    {
        var replies = new JsonArray([.. content.Buttons.Where(b => b.Payload is not null)
            .Select(b => (JsonNode)new JsonObject { ["content_type"] = "text", ["title"] = b.Label, ["payload"] = b.Payload })]);
        if (content.AsksForPhone)
            replies.Add(new JsonObject { ["content_type"] = "user_phone_number" });
        return replies.Count == 0 ? null : replies;
    }
}
