using System.Globalization;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Turns a Telegram update into our activity and hands it to the inbound gateway, which stores it once however
/// often Telegram delivers it (the chat's message id, or the callback query's id, is the channel message id).
/// Text, captions, photos and documents (downloaded into our file store), shared contacts and locations, and
/// presses of our inline buttons are taken, in private chats and (when addressed to the bot) in groups; edits and
/// other update kinds are not.
/// </summary>
public sealed partial class TelegramInbound(
    InboundGateway gateway,
    TelegramClients clients,
    FileStore files,
    FileUrls urls,
    SentActivities sent,
    ChannelHealthRecorder health,
    ClientLinks links,
    ClientIdentity identity,
    IOptions<FilesOptions> fileOptions,
    ILogger<TelegramInbound> logger)
{
    public async Task AcceptAsync(ChannelInstance channel, Update update, CancellationToken cancellationToken)
    {
        var accepted = update switch
        {
            { Message: { } message } => await AcceptMessageAsync(channel, message, cancellationToken),
            { CallbackQuery: { } callback } => await AcceptCallbackAsync(channel, callback, cancellationToken),
            _ => false,
        };
        if (accepted)
            await health.InboundAsync(channel.Id, cancellationToken);
        else
            LogSkipped(logger, channel.Id, update.Id, update.Type.ToString());
    }

    private async Task<bool> AcceptMessageAsync(ChannelInstance channel, Message message, CancellationToken cancellationToken)
    {
        if (message.From is not { IsBot: false } from)
            return false;
        var group = TelegramGroupAddress.IsGroup(message.Chat);
        if (!group && message.Chat.Type != ChatType.Private)
            return false;
        var activity = NewActivity(from, message.Chat.Id, message.MessageId);
        activity.Text = message.Text ?? message.Caption;
        if (group)
        {
            // In a group the bot hears everyone but answers only what is meant for it.
            if (TelegramGroupAddress.AddressedText(message, await clients.BotAsync(channel, cancellationToken)) is not { } addressed)
                return false;
            activity.Text = addressed.Length > 0 ? addressed : null;
        }
        if (message.Contact is { } contact)
        {
            // Only the client's own number (the native "share my phone" button) counts as theirs.
            activity.Value = new JsonObject
            {
                ["contact"] = new JsonObject
                {
                    ["phone"] = contact.PhoneNumber,
                    ["firstName"] = contact.FirstName,
                    ["lastName"] = contact.LastName,
                    ["own"] = contact.UserId == from.Id,
                },
            };
            activity.Text ??= contact.PhoneNumber;
        }
        if (message.Location is { } location)
        {
            activity.Value = new JsonObject { ["location"] = new JsonObject { ["latitude"] = location.Latitude, ["longitude"] = location.Longitude } };
            activity.Text ??= string.Create(CultureInfo.InvariantCulture, $"{location.Latitude:0.######}, {location.Longitude:0.######}");
        }

        var stored = new List<NewFile>();
        if (FileOf(message) is { } file)
        {
            var downloaded = await DownloadAsync(channel, file.Id, file.Size, file.Name, file.ContentType, cancellationToken);
            if (downloaded is not null)
            {
                stored.Add(downloaded);
                activity.Attachments = [new Attachment { ContentType = downloaded.ContentType, ContentUrl = urls.Absolute(downloaded.Id, downloaded.Name), Name = downloaded.Name }];
            }
        }
        if (activity.Text is null && stored.Count == 0 && activity.Value is null)
            return false;

        var accountId = from.Id.ToString(CultureInfo.InvariantCulture);
        if (!group && TelegramDeepLinks.TokenOf(activity.Text) is { } token)
        {
            // A deep link attaches this Telegram account to the profile the link was made for, before the message is
            // stored, so the message already joins that client's dialog. The token stays out of the transcript.
            var (outcome, _) = await links.RedeemAsync(token, channel.Id, accountId, activity.From!.Name, cancellationToken);
            LogLinkRedeemed(logger, channel.Id, outcome.ToString());
            activity.Text = "/start";
        }

        var conversation = TelegramConversations.Id(channel.Id, message.Chat.Id);
        var inbound = group
            ? ForGroup(channel, conversation, message.Chat, from, message.MessageId.ToString(CultureInfo.InvariantCulture), activity)
            : new InboundActivity(channel.Id, conversation, accountId, activity.From!.Name, message.MessageId.ToString(CultureInfo.InvariantCulture), activity);
        await gateway.AcceptAsync(inbound, stored.Count == 0 ? null : (c, t, _, _, _) => files.InsertAsync(c, t, stored, UploaderKinds.Client, conversation), cancellationToken);
        // Telegram vouches for a contact the client shared of themselves: the number goes into their profile, verified.
        if (!group && message.Contact is { PhoneNumber: { Length: > 0 } phone } shared && shared.UserId == from.Id)
        {
            try
            {
                await identity.ShareContactAsync(channel.Id, conversation, accountId, phone, TelegramChannelType.TypeName, cancellationToken);
            }
            catch (ClientProfileException ex)
            {
                LogContactRefused(logger, channel.Id, ex.Message);
            }
        }
        return true;
    }

    /// <summary>A press of one of our buttons: the button is looked up in the message we sent, and its value goes in as the client's choice.</summary>
    private async Task<bool> AcceptCallbackAsync(ChannelInstance channel, CallbackQuery callback, CancellationToken cancellationToken)
    {
        try
        {
            // Telegram shows a spinner on the button until the press is answered.
            await clients.For(channel).AnswerCallbackQuery(callback.Id, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCallbackAnswerFailed(logger, ex, channel.Id);
        }
        if (callback.Message is not { } pressedOn || callback.From.IsBot
            || (pressedOn.Chat.Type != ChatType.Private && !TelegramGroupAddress.IsGroup(pressedOn.Chat))
            || !ButtonPayload.TryParse(callback.Data, out var messageId, out var index))
            return false;
        var conversation = TelegramConversations.Id(channel.Id, pressedOn.Chat.Id);
        if (await sent.FindAsync(conversation, messageId, cancellationToken) is not { } json
            || ActivityJson.Deserialize(json).SuggestedActions?.Actions is not { } actions || index >= actions.Count)
            return false;

        var action = actions[index];
        var activity = NewActivity(callback.From, pressedOn.Chat.Id, pressedOn.MessageId);
        activity.Text = action.Text ?? action.Title;
        activity.Value = action.Value?.DeepClone();
        var inbound = TelegramGroupAddress.IsGroup(pressedOn.Chat)
            ? ForGroup(channel, conversation, pressedOn.Chat, callback.From, "callback:" + callback.Id, activity)
            : new InboundActivity(channel.Id, conversation, callback.From.Id.ToString(CultureInfo.InvariantCulture), activity.From!.Name, "callback:" + callback.Id, activity);
        await gateway.AcceptAsync(inbound, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// One dialog per group: the conversation belongs to the group's own account (named after the group), and the
    /// member who wrote is a client account of theirs, named in the activity.
    /// </summary>
    private static InboundActivity ForGroup(ChannelInstance channel, string conversation, Chat chat, User from, string channelMessageId, Activity activity) =>
        new(channel.Id, conversation, TelegramConversations.GroupAccount(chat.Id), chat.Title ?? TelegramConversations.GroupAccount(chat.Id),
            channelMessageId, activity, new InboundParticipant(from.Id.ToString(CultureInfo.InvariantCulture), activity.From!.Name));

    private static Activity NewActivity(User from, long chat, int messageId) => new()
    {
        Type = Activity.Types.Message,
        From = new ChannelAccount
        {
            Id = from.Id.ToString(CultureInfo.InvariantCulture),
            Name = string.Join(' ', new[] { from.FirstName, from.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))),
            Role = "user",
        },
        Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" },
        Locale = from.LanguageCode,
        ChannelData = new JsonObject { ["telegram"] = new JsonObject { ["chatId"] = chat, ["messageId"] = messageId, ["username"] = from.Username } },
    };

    private sealed record TelegramFile(string Id, long? Size, string Name, string ContentType);

    private static TelegramFile? FileOf(Message message) => message switch
    {
        // Telegram sends a photo in several sizes, smallest first.
        { Photo: { Length: > 0 } sizes } => new(sizes[^1].FileId, sizes[^1].FileSize, $"photo-{message.MessageId}.jpg", "image/jpeg"),
        { Document: { } document } => new(document.FileId, document.FileSize, document.FileName ?? $"file-{message.MessageId}", document.MimeType ?? FileRules.OctetStream),
        { Video: { } video } => new(video.FileId, video.FileSize, video.FileName ?? $"video-{message.MessageId}.mp4", video.MimeType ?? "video/mp4"),
        { Audio: { } audio } => new(audio.FileId, audio.FileSize, audio.FileName ?? $"audio-{message.MessageId}.mp3", audio.MimeType ?? "audio/mpeg"),
        { Voice: { } voice } => new(voice.FileId, voice.FileSize, $"voice-{message.MessageId}.ogg", voice.MimeType ?? "audio/ogg"),
        _ => null,
    };

    private async Task<NewFile?> DownloadAsync(ChannelInstance channel, string fileId, long? size, string name, string contentType, CancellationToken cancellationToken)
    {
        var limit = fileOptions.Value.MaxFileBytes;
        if (size > limit)
        {
            LogFileTooLarge(logger, channel.Id, name, size.Value, limit);
            return null;
        }
        using var content = new MemoryStream();
        await clients.For(channel).GetInfoAndDownloadFile(fileId, content, cancellationToken);
        if (content.Length > limit)
        {
            LogFileTooLarge(logger, channel.Id, name, content.Length, limit);
            return null;
        }
        var normalized = FileRules.NormalizeName(name);
        return FileRules.Create(FileRules.NewId(), normalized.Length > 0 ? normalized : "file", FileRules.NormalizeType(contentType), content.ToArray());
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Telegram channel {Channel}: update {UpdateId} ({Kind}) is not something the engine takes")]
    private static partial void LogSkipped(ILogger logger, string channel, int updateId, string kind);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Telegram channel {Channel}: answering a button press failed")]
    private static partial void LogCallbackAnswerFailed(ILogger logger, Exception ex, string channel);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Telegram channel {Channel}: file {Name} has {Size} bytes, more than Files:MaxFileBytes ({Limit}); not stored")]
    private static partial void LogFileTooLarge(ILogger logger, string channel, string name, long size, long limit);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Telegram channel {Channel}: the shared phone was not taken into the profile: {Reason}")]
    private static partial void LogContactRefused(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Telegram channel {Channel}: a deep link was opened ({Outcome})")]
    private static partial void LogLinkRedeemed(ILogger logger, string channel, string outcome);
}
