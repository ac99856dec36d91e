using System.Text;
using BotEngine.KnowledgeBase;

namespace BotEngine.Storage.History;

/// <summary>
/// The words of a search text, for SQLite's FTS5 index, which has no Russian stemmer: each word is lower-cased, ё
/// folded to е, stemmed (Snowball: Cyrillic words with the Russian rules, others with the English ones) and matched as
/// a prefix, so "платежи" finds "платёж" and "платежом", and "payments" finds "payment". PostgreSQL stems with its own
/// 'russian' configuration and takes the text as typed.
/// </summary>
public static class SearchText
{
    public const int MaxWords = 10;

    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text.ToLowerInvariant().Replace('ё', 'е'))
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(ch);
                continue;
            }
            Flush();
        }
        Flush();
        return words.Distinct().Take(MaxWords).ToList();

        void Flush()
        {
            if (current.Length > 0)
                words.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>An FTS5 query: every word's stem as a quoted prefix, all required.</summary>
    public static string Fts5Query(IReadOnlyList<string> words) =>
        string.Join(' ', words.Select(w => "\"" + Stem(w) + "\"*"));

    private static string Stem(string word)
    {
        var stem = word.Any(c => c is >= 'а' and <= 'я') ? RussianStemmer.Stem(word) : word.All(char.IsAsciiLetter) ? EnglishStemmer.Stem(word) : word;
        // A stem shorter than two letters would match half the index: keep the word itself.
        return stem.Length >= 2 ? stem : word;
    }
}
