namespace BotEngine.KnowledgeBase;

/// <summary>Phone normalisation to E.164 (+7XXXXXXXXXX for Russian numbers) and masks where '#' is a digit.</summary>
public static class PhoneNumber
{
    public const string DefaultMask = "+7 (###) ###-##-##";

    public static int MaskDigits(string mask) => mask.Count(c => c == '#' || char.IsAsciiDigit(c));

    /// <summary>"8 (912) 345-67-89", "9123456789", "+7 912 345 67 89" -> "+79123456789"; null when the digits do not fit the mask.</summary>
    public static string? Normalize(string text, string? mask = null)
    {
        mask ??= DefaultMask;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var pattern = new string(mask.Where(c => c == '#' || char.IsAsciiDigit(c)).ToArray());
        // Russian habit: a leading 8 is the trunk prefix for +7; a bare 10-digit number lacks the country code.
        if (pattern.StartsWith('7'))
        {
            if (digits.Length == pattern.Length && digits.StartsWith('8'))
                digits = "7" + digits[1..];
            else if (digits.Length == pattern.Length - 1)
                digits = "7" + digits;
        }
        if (digits.Length != pattern.Length)
            return null;
        for (var i = 0; i < pattern.Length; i++)
            if (pattern[i] != '#' && pattern[i] != digits[i])
                return null;
        return "+" + digits;
    }

    /// <summary>Formats a normalised number with the mask: "+79123456789" -> "+7 (912) 345-67-89".</summary>
    public static string Format(string normalized, string? mask = null)
    {
        mask ??= DefaultMask;
        var digits = normalized.Where(char.IsAsciiDigit).GetEnumerator();
        var result = new System.Text.StringBuilder();
        foreach (var c in mask)
        {
            if (c == '#' || char.IsAsciiDigit(c))
            {
                if (!digits.MoveNext())
                    return normalized;
                result.Append(digits.Current);
            }
            else
                result.Append(c);
        }
        return digits.MoveNext() ? normalized : result.ToString();
    }
}
