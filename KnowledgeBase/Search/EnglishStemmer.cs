namespace BotEngine.KnowledgeBase;

/// <summary>A light Porter2-style English stemmer ("blocked", "blocking", "blocks" -> "block"). Input: lower case.</summary>
public static class EnglishStemmer
{
    private static readonly (string Suffix, string Replacement)[] Step2 =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
        ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"),
        ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"), ("bli", "ble"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3 =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"), ("ness", ""), ("ful", ""),
    ];

    private static readonly string[] Step4 =
        ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "al", "er", "ic"];

    public static string Stem(string word)
    {
        if (word.Length <= 2)
            return word;
        if (word.EndsWith("'s", StringComparison.Ordinal))
            word = word[..^2];
        var r1 = Region(word, 0);
        var r2 = Region(word, r1);

        // Step 1a: plurals
        if (word.EndsWith("sses", StringComparison.Ordinal))
            word = word[..^2];
        else if (word.EndsWith("ied", StringComparison.Ordinal) || word.EndsWith("ies", StringComparison.Ordinal))
            word = word.Length > 4 ? word[..^2] : word[..^1];
        else if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
                 && HasVowel(word, 0, word.Length - 2))
            word = word[..^1];

        // Step 1b: -ed, -ing
        if (word.EndsWith("eedly", StringComparison.Ordinal) || word.EndsWith("eed", StringComparison.Ordinal))
        {
            var cut = word.EndsWith("eedly", StringComparison.Ordinal) ? 3 : 1;
            if (word.Length - cut - 2 >= r1)
                word = word[..^cut];
        }
        else
        {
            foreach (var suffix in new[] { "ingly", "edly", "ing", "ed" })
            {
                if (!word.EndsWith(suffix, StringComparison.Ordinal) || !HasVowel(word, 0, word.Length - suffix.Length))
                    continue;
                word = word[..^suffix.Length];
                if (word.EndsWith("at", StringComparison.Ordinal) || word.EndsWith("bl", StringComparison.Ordinal) || word.EndsWith("iz", StringComparison.Ordinal))
                    word += "e";
                else if (word.Length >= 2 && word[^1] == word[^2] && "bdfgmnprt".Contains(word[^1]))
                    word = word[..^1];
                else if (IsShort(word, Region(word, 0)))
                    word += "e";
                break;
            }
        }

        // Step 1c
        if (word.Length > 2 && word[^1] is 'y' && !IsVowel(word[^2]))
            word = word[..^1] + "i";

        r1 = Math.Min(r1, word.Length);
        r2 = Math.Min(r2, word.Length);
        word = Replace(word, Step2, r1);
        word = Replace(word, Step3, r1);
        if (word.EndsWith("ative", StringComparison.Ordinal) && word.Length - 5 >= r2)
            word = word[..^5];

        foreach (var suffix in Step4)
        {
            if (!word.EndsWith(suffix, StringComparison.Ordinal))
                continue;
            if (word.Length - suffix.Length >= r2)
                word = word[..^suffix.Length];
            break;
        }
        if (word.EndsWith("ion", StringComparison.Ordinal) && word.Length - 3 >= r2 && word.Length > 3 && word[^4] is 's' or 't')
            word = word[..^3];

        // Step 5
        if (word.EndsWith('e') && (word.Length - 1 >= r2 || (word.Length - 1 >= r1 && !EndsWithShortSyllable(word[..^1]))))
            word = word[..^1];
        else if (word.EndsWith("ll", StringComparison.Ordinal) && word.Length - 1 >= r2)
            word = word[..^1];
        return word;
    }

    private static string Replace(string word, (string Suffix, string Replacement)[] rules, int region)
    {
        foreach (var (suffix, replacement) in rules)
            if (word.EndsWith(suffix, StringComparison.Ordinal))
                return word.Length - suffix.Length >= region ? word[..^suffix.Length] + replacement : word;
        return word;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static bool HasVowel(string word, int from, int to)
    {
        for (var i = from; i < to && i < word.Length; i++)
            if (IsVowel(word[i]))
                return true;
        return false;
    }

    private static int Region(string word, int start)
    {
        for (var i = start + 1; i < word.Length; i++)
            if (!IsVowel(word[i]) && IsVowel(word[i - 1]))
                return i + 1;
        return word.Length;
    }

    private static bool EndsWithShortSyllable(string word) =>
        (word.Length >= 3 && !IsVowel(word[^3]) && IsVowel(word[^2]) && !IsVowel(word[^1]) && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && IsVowel(word[0]) && !IsVowel(word[1]));

    private static bool IsShort(string word, int r1) => r1 >= word.Length && EndsWithShortSyllable(word);
}
