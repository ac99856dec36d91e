using System.Globalization;
using System.Text;

namespace BotEngine.Nlu.Text;

/// <summary>
/// Turns raw user text into a canonical token list shared by training and prediction.
/// Rules: NFKC, invariant lower case, ё→е, every run of digits becomes "0" (numbers rarely carry the intent,
/// their presence does), apostrophes inside words are dropped ("don't" → "dont"), other punctuation separates
/// tokens; a question mark is kept as its own token because it separates questions from commands.
/// </summary>
public static class TextNormalizer
{
    public const string QuestionToken = "?";

    public static string Canonical(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', Tokenize(text));
    }

    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        if (text.Length == 0)
        {
            return tokens;
        }

        string s = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(16);
        bool lastWasDigit = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsLetter(c) || IsCombining(c))
            {
                c = char.ToLowerInvariant(c);
                if (c == 'ё')
                {
                    c = 'е';
                }

                sb.Append(c);
                lastWasDigit = false;
            }
            else if (char.IsDigit(c))
            {
                if (!lastWasDigit)
                {
                    sb.Append('0');
                }

                lastWasDigit = true;
            }
            else if (IsApostrophe(c) && sb.Length > 0 && i + 1 < s.Length && char.IsLetter(s[i + 1]))
            {
                // keep the word whole: "don't" -> "dont", "it's" -> "its"
                lastWasDigit = false;
            }
            else
            {
                Flush(sb, tokens);
                lastWasDigit = false;
                if (c == '?' && (tokens.Count == 0 || tokens[^1] != QuestionToken))
                {
                    tokens.Add(QuestionToken);
                }
            }
        }

        Flush(sb, tokens);
        return tokens;
    }

    private static void Flush(StringBuilder sb, List<string> tokens)
    {
        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
            sb.Clear();
        }
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u02BC' or '`';

    private static bool IsCombining(char c)
    {
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }
}
