using BotEngine.Nlu.Text;

namespace BotEngine.Nlu.Features;

/// <summary>
/// Emits 64-bit keys for the n-grams of a token list. Keys are FNV-1a hashes with the group in the low 2 bits,
/// so no n-gram string is ever allocated and the vocabulary stays a flat map of longs.
/// </summary>
public sealed class NgramExtractor
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong GroupMask = 3UL;

    private readonly FeatureConfig _config;

    public NgramExtractor(FeatureConfig config) => _config = config;

    public static FeatureGroup GroupOf(ulong key) => (FeatureGroup)(int)(key & GroupMask);

    public void Extract(string text, List<ulong> keys)
    {
        keys.Clear();
        Extract(TextNormalizer.Tokenize(text), keys);
    }

    public void Extract(IReadOnlyList<string> tokens, List<ulong> keys)
    {
        var c = _config;
        if (c.WordNgramMax > 0)
        {
            for (int i = 0; i < tokens.Count; i++)
            {
                ulong h = FnvOffset;
                for (int n = 1; n <= c.WordNgramMax && i + n <= tokens.Count; n++)
                {
                    if (n > 1)
                    {
                        h = Mix(h, ' ');
                    }

                    h = Mix(h, tokens[i + n - 1]);
                    keys.Add(Tag(h, FeatureGroup.Word));
                }
            }
        }

        if (c.PrefixStem > 0)
        {
            foreach (var t in tokens)
            {
                // only words longer than the prefix: short words are already whole-word features
                if (t.Length > c.PrefixStem)
                {
                    keys.Add(Tag(Mix(FnvOffset, t.AsSpan(0, c.PrefixStem)), FeatureGroup.Stem));
                }
            }
        }

        if (c.CharMax > 0)
        {
            Span<char> buf = stackalloc char[66];
            foreach (var t in tokens)
            {
                int len = Math.Min(t.Length, 64);
                buf[0] = ' ';
                t.AsSpan(0, len).CopyTo(buf[1..]);
                buf[len + 1] = ' ';
                AddCharGrams(buf[..(len + 2)], c.CharMin, c.CharMax, FeatureGroup.Char, keys);
            }
        }

        if (c.CrossCharMax > 0 && tokens.Count > 0)
        {
            string joined = " " + string.Join(' ', tokens) + " ";
            AddCharGrams(joined, c.CrossCharMin, c.CrossCharMax, FeatureGroup.CrossChar, keys, requireSpaceInside: true);
        }
    }

    private static void AddCharGrams(ReadOnlySpan<char> s, int min, int max, FeatureGroup group, List<ulong> keys, bool requireSpaceInside = false)
    {
        for (int i = 0; i < s.Length; i++)
        {
            ulong h = FnvOffset;
            bool interiorSpace = false;
            for (int n = 1; n <= max && i + n <= s.Length; n++)
            {
                char ch = s[i + n - 1];
                h = Mix(h, ch);
                if (n >= 3 && s[i + n - 2] == ' ')
                {
                    interiorSpace = true;
                }

                if (n < min || (n == 1 && ch == ' '))
                {
                    continue;
                }

                // cross-word grams must straddle a word boundary; in-word grams are the Char group's job
                if (requireSpaceInside && !interiorSpace)
                {
                    continue;
                }

                keys.Add(Tag(h, group));
            }
        }
    }

    private static ulong Tag(ulong h, FeatureGroup g) => (h & ~GroupMask) | (ulong)g;

    private static ulong Mix(ulong h, char c)
    {
        h ^= c;
        return h * FnvPrime;
    }

    private static ulong Mix(ulong h, ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            h = Mix(h, c);
        }

        return h;
    }

    private static ulong Mix(ulong h, string s) => Mix(h, s.AsSpan());
}
