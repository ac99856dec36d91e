namespace BotEngine.KnowledgeBase;

/// <summary>The Snowball Russian stemming rules ("карта", "карту", "картой" -> "карт"). Input: lower case, ё already replaced.</summary>
public static class RussianStemmer
{
    private const string Vowels = "аеиоуыэюя";

    private static readonly string[] PerfectiveGerund1 = ["вшись", "вши", "в"];
    private static readonly string[] PerfectiveGerund2 = ["ившись", "ывшись", "ивши", "ывши", "ив", "ыв"];
    private static readonly string[] Adjective =
        ["ими", "ыми", "его", "ого", "ему", "ому", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"];
    private static readonly string[] Participle1 = ["ем", "нн", "вш", "ющ", "щ"];
    private static readonly string[] Participle2 = ["ивш", "ывш", "ующ"];
    private static readonly string[] Reflexive = ["ся", "сь"];
    private static readonly string[] Verb1 = ["ете", "йте", "ешь", "нно", "ла", "на", "ли", "ем", "ло", "но", "ет", "ют", "ны", "ть", "й", "л", "н"];
    private static readonly string[] Verb2 =
        ["ейте", "уйте", "ила", "ыла", "ена", "ите", "или", "ыли", "ило", "ыло", "ено", "ует", "уют", "ены", "ить", "ыть", "ишь", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ят", "ит", "ыт", "ую", "ю"];
    private static readonly string[] Noun =
        ["иями", "ями", "ами", "ией", "иям", "ием", "иях", "ев", "ов", "ие", "ье", "еи", "ии", "ей", "ой", "ий", "ям", "ем", "ам", "ом", "ах", "ях", "ию", "ью", "ия", "ья", "а", "е", "и", "й", "о", "у", "ы", "ь", "ю", "я"];
    private static readonly string[] Superlative = ["ейше", "ейш"];
    private static readonly string[] Derivational = ["ость", "ост"];

    public static string Stem(string word)
    {
        var rv = RegionAfterFirstVowel(word, 0);
        if (rv >= word.Length)
            return word;
        var r1 = RegionR(word, 0);
        var r2 = RegionR(word, r1);

        // Step 1
        if (!TryRemove(ref word, rv, PerfectiveGerund1, afterAorYa: true) && !TryRemove(ref word, rv, PerfectiveGerund2, afterAorYa: false))
        {
            TryRemove(ref word, rv, Reflexive, afterAorYa: false);
            if (!TryRemoveAdjectival(ref word, rv)
                && !TryRemove(ref word, rv, Verb1, afterAorYa: true)
                && !TryRemove(ref word, rv, Verb2, afterAorYa: false))
                TryRemove(ref word, rv, Noun, afterAorYa: false);
        }

        // Step 2
        if (word.Length > rv && word.EndsWith('и'))
            word = word[..^1];

        // Step 3
        TryRemove(ref word, Math.Max(r2, rv), Derivational, afterAorYa: false);

        // Step 4
        if (word.Length - 2 >= rv && word.EndsWith("нн", StringComparison.Ordinal))
            word = word[..^1];
        else if (TryRemove(ref word, rv, Superlative, afterAorYa: false))
        {
            if (word.Length - 2 >= rv && word.EndsWith("нн", StringComparison.Ordinal))
                word = word[..^1];
        }
        else if (word.Length > rv && word.EndsWith('ь'))
            word = word[..^1];
        return word;
    }

    private static bool TryRemoveAdjectival(ref string word, int rv)
    {
        foreach (var adjective in Adjective.OrderByDescending(s => s.Length))
        {
            if (!EndsInRegion(word, adjective, rv))
                continue;
            var rest = word[..^adjective.Length];
            // A participle before the adjective ending goes too ("читающий" -> "чита").
            if (!TryRemove(ref rest, rv, Participle2, afterAorYa: false))
                TryRemove(ref rest, rv, Participle1, afterAorYa: true);
            word = rest;
            return true;
        }
        return false;
    }

    private static bool TryRemove(ref string word, int region, string[] suffixes, bool afterAorYa)
    {
        string? best = null;
        foreach (var suffix in suffixes)
        {
            if (!EndsInRegion(word, suffix, region) || (best is not null && best.Length >= suffix.Length))
                continue;
            if (afterAorYa)
            {
                var before = word.Length - suffix.Length - 1;
                if (before < region || (word[before] != 'а' && word[before] != 'я'))
                    continue;
            }
            best = suffix;
        }
        if (best is null)
            return false;
        word = word[..^best.Length];
        return true;
    }

    private static bool EndsInRegion(string word, string suffix, int region) =>
        word.Length - suffix.Length >= region && word.EndsWith(suffix, StringComparison.Ordinal);

    private static int RegionAfterFirstVowel(string word, int start)
    {
        for (var i = start; i < word.Length; i++)
            if (Vowels.Contains(word[i]))
                return i + 1;
        return word.Length;
    }

    // R1/R2: the region after the first non-vowel that follows a vowel.
    private static int RegionR(string word, int start)
    {
        for (var i = start + 1; i < word.Length; i++)
            if (!Vowels.Contains(word[i]) && Vowels.Contains(word[i - 1]))
                return i + 1;
        return word.Length;
    }
}
