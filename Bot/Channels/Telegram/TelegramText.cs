using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Telegram;

/// <summary>Splits a message at Telegram's limit, at a line break where there is one and never inside a tag.</summary>
public static class TelegramText
{
    /// <summary>Characters in one Telegram message, from the channels' capability table.</summary>
    public static int MaxLength => ChannelCapabilities.Of(TelegramChannelType.TypeName).MaxTextLength;

    public static List<string> Split(string html)
    {
        var maxLength = MaxLength;
        var parts = new List<string>();
        var rest = html.Trim();
        while (rest.Length > maxLength)
        {
            var cut = rest.LastIndexOf('\n', maxLength - 1);
            if (cut < maxLength / 2)
                cut = SafeCut(rest, maxLength);
            parts.Add(rest[..cut].Trim());
            rest = rest[cut..].Trim();
        }
        if (rest.Length > 0)
            parts.Add(rest);
        return parts;
    }

    /// <summary>The last position before <paramref name="limit"/> that is outside a tag and an entity.</summary>
    private static int SafeCut(string text, int limit)
    {
        var cut = limit;
        var open = text.LastIndexOf('<', cut - 1);
        if (open >= 0 && text.IndexOf('>', open) >= cut)
            cut = open;
        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && text.IndexOf(';', amp) >= cut)
            cut = amp;
        return Math.Max(1, cut);
    }
}
