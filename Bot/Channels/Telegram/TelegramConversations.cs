using System.Globalization;

namespace BotEngine.Channels.Telegram;

/// <summary>Our conversation id for a Telegram chat: the bot's channel id and the chat id, so two bots never share one.</summary>
public static class TelegramConversations
{
    private const string Prefix = "telegram:";

    public static string Id(string channel, long chatId) => $"{Prefix}{channel}:{chatId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The account a group chat's conversation belongs to (a user's account id is their positive user id).</summary>
    public static string GroupAccount(long chatId) => "group:" + chatId.ToString(CultureInfo.InvariantCulture);

    public static long ChatOf(string conversationId)
    {
        var colon = conversationId.LastIndexOf(':');
        return conversationId.StartsWith(Prefix, StringComparison.Ordinal) && colon > Prefix.Length
            && long.TryParse(conversationId.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chat)
            ? chat
            : throw new FormatException($"'{conversationId}' is not a Telegram conversation id.");
    }
}
