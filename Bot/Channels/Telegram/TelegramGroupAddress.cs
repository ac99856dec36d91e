using System.Text;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Whether a group message is meant for the bot, which answers in a group only when addressed: a mention of its
/// username (or of the bot user), a command (<c>/start</c>, or <c>/start@bot</c> naming this bot), or a reply to one of
/// its messages. The mention is taken out of the text, so the classifier sees the question alone.
/// </summary>
public static class TelegramGroupAddress
{
    private static readonly char[] Separators = [' ', ',', ':', ';', '\n', '\t'];

    public static bool IsGroup(Chat chat) => chat.Type is ChatType.Group or ChatType.Supergroup;

    /// <summary>The message's text without the bot's address, or null when the message is not meant for the bot.</summary>
    public static string? AddressedText(Message message, User bot)
    {
        var text = message.Text ?? message.Caption ?? "";
        var entities = message.Entities ?? message.CaptionEntities ?? [];
        var addressed = message.ReplyToMessage?.From?.Id == bot.Id;
        var cuts = new List<(int Start, int Length)>();
        foreach (var entity in entities.OrderBy(e => e.Offset))
        {
            if (entity.Offset < 0 || entity.Offset + entity.Length > text.Length)
                continue;
            var span = text.Substring(entity.Offset, entity.Length);
            switch (entity.Type)
            {
                case MessageEntityType.Mention when IsBotName(span.TrimStart('@'), bot):
                case MessageEntityType.TextMention when entity.User?.Id == bot.Id:
                    addressed = true;
                    cuts.Add((entity.Offset, entity.Length));
                    break;
                case MessageEntityType.BotCommand when entity.Offset == 0:
                    var at = span.IndexOf('@', StringComparison.Ordinal);
                    if (at < 0)
                    {
                        addressed = true;
                    }
                    else if (IsBotName(span[(at + 1)..], bot))
                    {
                        addressed = true;
                        cuts.Add((entity.Offset + at, entity.Length - at));
                    }
                    break;
            }
        }
        if (!addressed)
            return null;
        var rest = new StringBuilder(text);
        foreach (var (start, length) in cuts.OrderByDescending(c => c.Start))
            rest.Remove(start, length);
        return string.Join(' ', rest.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(Separators).Trim();
    }

    private static bool IsBotName(string name, User bot) =>
        bot.Username is { Length: > 0 } username && string.Equals(name, username, StringComparison.OrdinalIgnoreCase);
}
