using System.Text;
using System.Text.RegularExpressions;

namespace BotEngine.Channels.Email;

/// <summary>
/// Cuts what a mail client adds below (or around) the client's own words: the quoted earlier message ("On ... wrote:",
/// "... написал(а):", Gmail's Russian "пн, 30 нояб. 2026 г. в 10:00, Имя &lt;адрес&gt;:", Outlook's
/// "-----Original Message-----" and its "From:/От: ... Sent:/Отправлено:" header block), "&gt; " lines, and the
/// signature after "-- " or a "Sent from my phone" line.
/// </summary>
public static partial class EmailQuotes
{
    public static string Strip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "";
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var kept = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (StartsQuote(lines, i) || line is "-- " or "--" || SentFrom().IsMatch(trimmed))
                break;
            if (trimmed.StartsWith('>'))
                continue;
            kept.Add(line.TrimEnd());
        }
        // Blank lines at the ends go; inside, runs of them shrink to one.
        var result = new StringBuilder();
        var blank = false;
        foreach (var line in kept.SkipWhile(string.IsNullOrWhiteSpace))
        {
            if (line.Length == 0)
            {
                blank = true;
                continue;
            }
            if (blank && result.Length > 0)
                result.Append('\n');
            result.Append(line).Append('\n');
            blank = false;
        }
        return result.ToString().Trim();
    }

    private static bool StartsQuote(string[] lines, int i)
    {
        var line = lines[i].Trim();
        if (line.Length == 0)
            return false;
        if (OriginalMessage().IsMatch(line))
            return true;
        // "On Mon, 30 Nov 2026 at 10:00, Ivan <ivan@example.com> wrote:", which some clients wrap onto two lines.
        var joined = i + 1 < lines.Length ? line + " " + lines[i + 1].Trim() : line;
        if (EnglishHeader().IsMatch(line) || (line.StartsWith("On ", StringComparison.Ordinal) && EnglishHeader().IsMatch(joined)))
            return true;
        if (RussianHeader().IsMatch(line) || (RussianHeader().IsMatch(joined) && DateLike().IsMatch(line)))
            return true;
        // Gmail in Russian: "пн, 30 нояб. 2026 г. в 10:00, Иван Петров <ivan@example.com>:".
        if (line.EndsWith(">:", StringComparison.Ordinal) && line.Contains('@', StringComparison.Ordinal) && DateLike().IsMatch(line))
            return true;
        // Outlook: "From: ..." followed by "Sent: ..." (or "От:" and "Отправлено:"), often under a rule of underscores.
        if (OutlookFrom().IsMatch(line))
        {
            for (var j = i + 1; j < Math.Min(lines.Length, i + 4); j++)
            {
                if (OutlookSent().IsMatch(lines[j].Trim()))
                    return true;
            }
        }
        return line.Length >= 20 && line.All(c => c == '_') && i + 1 < lines.Length && OutlookFrom().IsMatch(lines[i + 1].Trim());
    }

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Исходное сообщение|Оригинальное сообщение)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^On\s.+\swrote:$", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishHeader();

    [GeneratedRegex(@"\sнаписал(а|\(а\))?:$", RegexOptions.IgnoreCase)]
    private static partial Regex RussianHeader();

    [GeneratedRegex(@"\d{1,4}[ .:/-]")]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^\*?(From|От|Von|De):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^\*?(Sent|Date|Отправлено|Дата|Gesendet):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookSent();

    [GeneratedRegex(@"^(Sent from my |Get Outlook for |Отправлено с |Отправлено из )", RegexOptions.IgnoreCase)]
    private static partial Regex SentFrom();
}
