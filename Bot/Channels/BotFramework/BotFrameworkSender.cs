using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Channels;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Delivers our activities to a Connector conversation, at the serviceUrl its client last wrote from: a bot's reply
/// names the client's activity it answers (replyToId), an operator's message or a greeting is posted to the
/// conversation. A message waits while an earlier one of its conversation is still in the outbox, so a 429 or 5xx on
/// one does not let the next overtake it. Typing and other activities are not sent.
/// </summary>
public sealed class BotFrameworkSender(ChannelDirectory channels, ConnectorConversationStore conversations, ConnectorClient connector, SentParts parts, TimeProvider time)
    : IChannelSender
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    public string Channel => BotFrameworkChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "Bot Framework");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        if (activity.Type != Activity.Types.Message)
            return;
        var address = await conversations.FindAsync(delivery.ConversationId, cancellationToken)
            ?? throw new ChannelRefusedException($"Conversation {delivery.ConversationId} has no Connector address: its client never wrote through this channel.");
        if (await conversations.EarlierPendingDueAsync(delivery.ConversationId, delivery.MessageId, cancellationToken) is { } due)
        {
            // Tried again just after the earlier one's next try (or its lease, while it is being sent): each wait costs this
            // message one attempt, about as many as the earlier one spends, so the two are parked together if it never goes.
            var wait = TimeExtensions.FromMicros(due) - time.GetUtcNow();
            wait = wait < TimeSpan.Zero ? ShortestWait : wait + ShortestWait;
            throw new ChannelRetryLaterException(wait < LongestWait ? wait : LongestWait, $"An earlier message of conversation {delivery.ConversationId} is still on its way.");
        }
        var replyTo = activity.ReplyToId is { } answered ? await conversations.ChannelMessageIdAsync(delivery.ConversationId, answered, cancellationToken) : null;

        var messages = ConnectorReply.Build(activity, address);
        for (var i = parts.Of(delivery.MessageId); i < messages.Count; i++)
        {
            if (replyTo is not null)
                messages[i]["replyToId"] = replyTo;
            await connector.SendAsync(channel, address.ServiceUrl, address.RemoteId, replyTo, messages[i], cancellationToken);
            parts.Sent(delivery.MessageId, i + 1);
        }
        parts.Done(delivery.MessageId);
    }
}
