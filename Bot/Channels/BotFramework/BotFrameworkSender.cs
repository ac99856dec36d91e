using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Delivers our activities to a Connector conversation, at the serviceUrl its client last wrote from: a bot's reply
/// names the client's activity it answers (replyToId), an operator's message or a greeting is posted to the
/// conversation. A message waits while an earlier one of its conversation is still in the outbox, so a 429 or 5xx on
/// one does not let the next overtake it. Typing and other activities are not sent.
/// </summary>
public sealed class BotFrameworkSender(ChannelDirectory channels, ConnectorConversationStore conversations, ConnectorClient connector, SentParts parts,
    IOptions<OutboxOptions> outbox, TimeProvider time)
    : IChannelSender
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private const int InFlightPolls = 40;

    public string Channel => BotFrameworkChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "Bot Framework");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        if (activity.Type != Activity.Types.Message)
            return;
        var address = await conversations.FindAsync(delivery.ConversationId, cancellationToken)
            ?? throw new ChannelRefusedException($"Conversation {delivery.ConversationId} has no Connector address: its client never wrote through this channel.");
        await WaitForEarlierAsync(delivery, cancellationToken);
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

    /// <summary>
    /// Throws to try again just after the next try of an earlier message of the conversation that is still in the outbox.
    /// One that is being sent right now (claimed by another worker: due when its lease ends) is usually done in a moment,
    /// so that is waited for here, briefly, rather than for its whole lease. Each wait costs this message one attempt,
    /// about as many as the earlier one spends, so the two are parked together if it never goes.
    /// </summary>
    private async Task WaitForEarlierAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var inFlightFrom = outbox.Value.Lease - TimeSpan.FromSeconds(5);
        for (var polls = 0; ; polls++)
        {
            if (await conversations.EarlierPendingDueAsync(delivery.ConversationId, delivery.MessageId, cancellationToken) is not { } due)
                return;
            var wait = TimeExtensions.FromMicros(due) - time.GetUtcNow();
            if (wait > inFlightFrom && polls < InFlightPolls)
            {
                await Task.Delay(PollEvery, time, cancellationToken);
                continue;
            }
            wait = wait < TimeSpan.Zero ? ShortestWait : wait + ShortestWait;
            throw new ChannelRetryLaterException(wait < LongestWait ? wait : LongestWait, $"An earlier message of conversation {delivery.ConversationId} is still on its way.");
        }
    }
}
