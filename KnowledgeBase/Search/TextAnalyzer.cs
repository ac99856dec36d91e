using System.Text;

namespace BotEngine.KnowledgeBase;

/// <summary>Tokenising and stemming shared by search and the runner's dictionary matching.</summary>
public static class TextAnalyzer
{
    /// <summary>Lower-case words (letters and digits), 'ё' folded to 'е'.</summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        var word = new StringBuilder();
        foreach (var raw in text)
        {
            if (char.IsLetterOrDigit(raw))
            {
                var c = char.ToLowerInvariant(raw);
                word.Append(c == 'ё' ? 'е' : c);
            }
            else if (word.Length > 0 && raw != '\'')
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
            yield return word.ToString();
    }

    /// <summary>Stems a lower-case word by its script: Cyrillic with the Russian rules, Latin with the English ones.</summary>
    public static string Stem(string word)
    {
        if (word.Length < 3 || word.Any(char.IsDigit))
            return word;
        return IsCyrillic(word[0]) ? RussianStemmer.Stem(word) : word[0] is >= 'a' and <= 'z' ? EnglishStemmer.Stem(word) : word;
    }

    public static IEnumerable<string> Stems(string? text) => Words(text).Select(Stem);

    private static bool IsCyrillic(char c) => c is >= 'а' and <= 'я' or 'ё';
}
