using System.Globalization;
using System.Collections.Concurrent;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Delivers our activities to Telegram chats: Markdown as Telegram HTML (split at Telegram's 4096 characters), buttons
/// as an inline keyboard, files as photos or documents. A button's callback data names the message and the button
/// (<see cref="ButtonPayload"/>), so labels and values of any length survive Telegram's 64-byte limit.
/// </summary>
public sealed class TelegramSender(ChannelDirectory channels, TelegramClients clients, OutboundPacer pacer, FileStore files) : IChannelSender
{
    // One of our messages may take several Telegram messages (long text, files): the parts already sent are remembered,
    // so a retry after a 429 on a later part does not send the earlier ones again.
    private readonly ConcurrentDictionary<string, int> _partsSent = new(StringComparer.Ordinal);

    public string Channel => TelegramChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = channels.Find(delivery.Channel) ?? throw new InvalidOperationException($"Telegram channel '{delivery.Channel}' is not configured.");
        if (!channel.Enabled)
            throw new InvalidOperationException($"Telegram channel '{delivery.Channel}' is disabled; its messages wait until it is enabled.");
        var client = clients.For(channel);
        var chat = TelegramConversations.ChatOf(delivery.ConversationId);
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        try
        {
            if (activity.Type == Activity.Types.Typing)
            {
                await client.SendChatAction(chat, ChatAction.Typing, cancellationToken: cancellationToken);
                return;
            }
            if (activity.Type != Activity.Types.Message)
                return;
            await SendMessageAsync(client, channel.Id, chat, activity, delivery.MessageId, cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429)
        {
            throw new ChannelRetryLaterException(TimeSpan.FromSeconds(Math.Max(1, ex.Parameters?.RetryAfter ?? 1)), $"Telegram asked to wait: {ex.Message}");
        }
    }

    private async Task SendMessageAsync(ITelegramBotClient client, string channel, long chat, Activity activity, string messageId, CancellationToken cancellationToken)
    {
        ReplyMarkup? keyboard = Keyboard(activity, messageId);
        // Telegram offers the share-my-phone button in private chats only (a group chat's id is negative).
        if (chat > 0)
            keyboard ??= ContactRequest(activity);
        var attachments = activity.Attachments ?? [];
        var parts = TelegramText.Split(activity.TextFormat == "plain" ? TelegramHtml.Escape(activity.Text ?? "") : TelegramHtml.FromMarkdown(activity.Text));
        // Telegram needs text under a keyboard: a message with buttons only gets a pointer to them.
        if (parts.Count == 0 && attachments.Count == 0 && keyboard is not null)
            parts = ["👇"];
        var sent = _partsSent.GetValueOrDefault(messageId);
        for (var i = sent; i < parts.Count; i++)
        {
            await pacer.WaitAsync(channel, SendRates.TelegramBot, chat.ToString(CultureInfo.InvariantCulture), chat < 0 ? SendRates.TelegramGroup : SendRates.TelegramChat, cancellationToken);
            var last = i == parts.Count - 1 && attachments.Count == 0;
            await client.SendMessage(chat, parts[i], ParseMode.Html, replyMarkup: last ? keyboard : null, cancellationToken: cancellationToken);
            _partsSent[messageId] = i + 1;
        }
        for (var i = Math.Max(0, sent - parts.Count); i < attachments.Count; i++)
        {
            await pacer.WaitAsync(channel, SendRates.TelegramBot, chat.ToString(CultureInfo.InvariantCulture), chat < 0 ? SendRates.TelegramGroup : SendRates.TelegramChat, cancellationToken);
            var markup = i == attachments.Count - 1 ? keyboard : null;
            var attachment = attachments[i];
            var file = await InputOfAsync(attachment, cancellationToken);
            if (attachment.ContentType is { } type && type.StartsWith("image/", StringComparison.Ordinal) && type != "image/svg+xml")
                await client.SendPhoto(chat, file, replyMarkup: markup, cancellationToken: cancellationToken);
            else
                await client.SendDocument(chat, file, replyMarkup: markup, cancellationToken: cancellationToken);
            _partsSent[messageId] = parts.Count + i + 1;
        }
        _partsSent.TryRemove(messageId, out _);
    }

    /// <summary>An engine file goes up as bytes (Telegram cannot reach the engine); anything else as its URL.</summary>
    private async Task<InputFile> InputOfAsync(Attachment attachment, CancellationToken cancellationToken)
    {
        var url = attachment.ContentUrl ?? throw new InvalidOperationException("An attachment without a contentUrl cannot be sent to Telegram.");
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Segments is [_, "files/", var id, ..] && FileRules.IsValidId(id.TrimEnd('/'))
            && await files.ContentAsync(id.TrimEnd('/'), cancellationToken) is { } content)
            return InputFile.FromStream(new MemoryStream(content), attachment.Name ?? "file");
        return InputFile.FromUri(url);
    }

    /// <summary>A question for a phone number gets Telegram's own button that shares the client's number.</summary>
    private static ReplyMarkup? ContactRequest(Activity activity)
    {
        if (activity.ChannelData?[BotEngine.Engine.Knowledge.BotResponder.ExpectsField]?.GetValue<string>() != "phone")
            return null;
        var label = activity.Locale == "en" ? "📱 Share my phone number" : "📱 Отправить мой номер";
        return new ReplyKeyboardMarkup(KeyboardButton.WithRequestContact(label)) { OneTimeKeyboard = true, ResizeKeyboard = true };
    }

    private static InlineKeyboardMarkup? Keyboard(Activity activity, string messageId)
    {
        if (activity.SuggestedActions?.Actions is not { Count: > 0 } actions)
            return null;
        var rows = new List<InlineKeyboardButton[]>();
        var maxButtons = ChannelCapabilities.Of(TelegramChannelType.TypeName).MaxButtons;
        for (var i = 0; i < actions.Count && rows.Count < maxButtons; i++)
        {
            var action = actions[i];
            var label = action.Title ?? action.Text ?? action.Value?.ToString() ?? "?";
            if (action.Type == "openUrl")
            {
                if (Uri.TryCreate(action.Value?.GetValue<string>(), UriKind.Absolute, out var link) && link.Scheme is "http" or "https")
                    rows.Add([InlineKeyboardButton.WithUrl(label, link.AbsoluteUri)]);
                continue;
            }
            rows.Add([InlineKeyboardButton.WithCallbackData(label, ButtonPayload.Of(messageId, i))]);
        }
        return rows.Count > 0 ? new InlineKeyboardMarkup(rows) : null;
    }
}
