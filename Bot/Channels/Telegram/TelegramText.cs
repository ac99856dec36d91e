namespace BotEngine.Channels.Telegram;

/// <summary>Splits a message at Telegram's 4096 characters, at a line break where there is one and never inside a tag.</summary>
public static class TelegramText
{
    public const int MaxLength = 4096;

    public static List<string> Split(string html)
    {
        var parts = new List<string>();
        var rest = html.Trim();
        while (rest.Length > MaxLength)
        {
            var cut = rest.LastIndexOf('\n', MaxLength - 1);
            if (cut < MaxLength / 2)
                cut = SafeCut(rest, MaxLength);
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
