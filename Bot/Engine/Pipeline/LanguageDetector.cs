namespace BotEngine.Engine.Pipeline;

public static class LanguageDetector
{
    /// <summary>"ru" or "en" by which alphabet dominates the letters; null when the text has no letters.</summary>
    public static string? Detect(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        int cyrillic = 0, latin = 0;
        foreach (var ch in text)
        {
            if (ch is >= '\u0400' and <= '\u04FF')
                cyrillic++;
            else if (ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
                latin++;
        }
        if (cyrillic == 0 && latin == 0)
            return null;
        return cyrillic >= latin ? "ru" : "en";
    }
}
