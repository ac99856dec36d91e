using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using BotEngine.Storage.Messages;
using Microsoft.Extensions.Logging;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Turns an activity the Connector posted (its token already checked) into ours and hands it to the inbound gateway,
/// which stores it once however often the Connector sends it (keyed by the activity's id). A message's files are
/// fetched into our store; a text that is the label or number of an option our newest message offered becomes that
/// choice; members added to a one-to-one conversation store a conversationUpdate, which the bot greets. The Connector's
/// address for the conversation is kept in the same transaction, so an operator can write later. In a group chat or a
/// channel only messages that mention the bot are taken (the mention cut from the text): the group is one dialog and
/// each member a client account. Other activity types (typing, invoke, installationUpdate...) change nothing.
/// </summary>
public sealed partial class BotFrameworkInbound(
    InboundGateway gateway,
    SentActivities sent,
    ConnectorFiles remoteFiles,
    FileStore files,
    FileUrls urls,
    ChannelHealthRecorder health,
    TimeProvider time,
    ILogger<BotFrameworkInbound> logger)
{
    /// <summary>True when the activity was stored (or was a repeat of a stored one); false when it is not one the engine takes.</summary>
    public async Task<bool> AcceptAsync(ChannelInstance channel, ConnectorActivity incoming, CancellationToken cancellationToken)
    {
        // In a group chat or a channel the bot answers only a message that mentions it (Teams sends it little else).
        if (incoming.IsGroup && (incoming.Type != Activity.Types.Message || incoming.BotMentions.Count == 0))
        {
            LogGroupIgnored(logger, channel.Id, incoming.Type);
            return false;
        }
        var conversation = MessengerConversations.Id(BotFrameworkChannelType.TypeName, channel.Id, incoming.ConversationId);
        var activity = new Activity
        {
            From = new ChannelAccount { Id = incoming.UserId, Name = incoming.UserName, Role = "user" },
            Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" },
            Locale = incoming.Locale,
            ServiceUrl = incoming.ServiceUrl,
            ChannelData = new JsonObject
            {
                [BotFrameworkChannelType.TypeName] = new JsonObject
                {
                    ["activityId"] = incoming.Id, ["channelId"] = incoming.ChannelId, ["conversationId"] = incoming.ConversationId, ["tenantId"] = incoming.TenantId,
                },
            },
        };
        IReadOnlyList<NewFile> stored = [];
        switch (incoming.Type)
        {
            case Activity.Types.ConversationUpdate when incoming.MembersAdded > 0:
                activity.Type = Activity.Types.ConversationUpdate;
                break;
            case Activity.Types.Message:
                activity.Type = Activity.Types.Message;
                activity.Text = WithoutMentions(incoming.Text, incoming.BotMentions) is { Length: > 0 } text ? text : null;
                activity.Value = incoming.Value?.DeepClone();
                if (activity.Value is null && await sent.LatestAsync(conversation, cancellationToken) is { } latest
                    && ConnectorReply.ChoiceOf(ActivityJson.Deserialize(latest), activity.Text) is { } chosen)
                {
                    activity.Text = chosen.Text ?? chosen.Title;
                    activity.Value = chosen.Value?.DeepClone();
                }
                stored = await remoteFiles.FetchAsync(channel, incoming.ServiceUrl, incoming.Files, cancellationToken);
                if (stored.Count > 0)
                    activity.Attachments = [.. stored.Select(f => new Attachment { ContentType = f.ContentType, ContentUrl = urls.Absolute(f.Id, f.Name), Name = f.Name })];
                if (activity.Text is null && stored.Count == 0 && activity.Value is null)
                {
                    LogSkipped(logger, channel.Id, incoming.Id);
                    return false;
                }
                break;
            default:
                return false;
        }

        var address = new ConnectorConversationRow(conversation, channel.Id, incoming.ServiceUrl, incoming.ConversationId, incoming.BotId, incoming.BotName,
            incoming.UserId, incoming.UserName, incoming.TenantId, time.NowMicros());
        // One dialog per group: the conversation belongs to the group's own account; the member who wrote is a client account of theirs.
        var inbound = incoming.IsGroup
            ? new InboundActivity(channel.Id, conversation, "group:" + incoming.ConversationId, incoming.ConversationName ?? "Teams", incoming.Id, activity,
                new InboundParticipant(incoming.UserId, incoming.UserName))
            : new InboundActivity(channel.Id, conversation, incoming.UserId, incoming.UserName, incoming.Id, activity);
        await gateway.AcceptAsync(inbound, async (c, t, _, _, _) =>
        {
            if (stored.Count > 0)
                await files.InsertAsync(c, t, stored, UploaderKinds.Client, conversation);
            await ConnectorConversationStore.SaveAsync(c, t, address);
        }, cancellationToken);
        await health.InboundAsync(channel.Id, cancellationToken);
        return true;
    }

    private static string? WithoutMentions(string? text, IReadOnlyList<string> mentions)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        foreach (var mention in mentions.Where(m => m.Length > 0))
            text = text.Replace(mention, " ", StringComparison.Ordinal);
        return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(' ', ',', ':');
    }

    [LoggerMessage(EventId = 1423, Level = LogLevel.Debug, Message = "Bot Framework channel {Channel}: activity {ActivityId} carries nothing the engine takes")]
    private static partial void LogSkipped(ILogger logger, string channel, string activityId);

    [LoggerMessage(EventId = 1424, Level = LogLevel.Debug, Message = "Bot Framework channel {Channel}: a {Type} activity of a group conversation that does not mention the bot is ignored")]
    private static partial void LogGroupIgnored(ILogger logger, string channel, string type);
}
