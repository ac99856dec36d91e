using System.Globalization;
using System.Text.RegularExpressions;

namespace BotEngine.KnowledgeBase;

/// <summary>Turns client text into slot values: strictly for an answer to the slot's question, loosely for hidden slots.</summary>
public static partial class SlotValues
{
    [GeneratedRegex(@"-?\d+")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex(@"\+?\d[\d\s\-()]{8,18}\d")]
    private static partial Regex PhoneLikeRegex();

    /// <summary>The value of an answer to the slot's question; false when the answer is invalid.</summary>
    public static bool TryParseAnswer(SlotDefinition slot, string? text, string? payload, out string value)
    {
        value = "";
        text = text?.Trim() ?? "";
        switch (slot.Type)
        {
            case SlotType.Dictionary:
                var item = payload is not null ? slot.Items.FirstOrDefault(i => i.Id == payload) : FindItem(slot, text, exact: true);
                if (item is null)
                    return false;
                value = item.Id;
                return true;
            case SlotType.Integer:
                var numbers = IntegerRegex().Matches(text);
                return numbers.Count == 1 && TryInteger(slot, numbers[0].Value, out value);
            case SlotType.Phone:
                value = PhoneNumber.Normalize(text, slot.Mask) ?? "";
                return value.Length > 0;
            case SlotType.RegexExtract:
                return TryExtract(slot.Pattern!, text, out value);
            case SlotType.RegexMatch:
                value = KbPatterns.IsMatch(text, slot.Pattern!) ? "true" : "false";
                return text.Length > 0;
            default:
                value = text;
                return text.Length > 0;
        }
    }

    /// <summary>A hidden slot's value found in what the client wrote (newest text first); false when nothing fits.</summary>
    public static bool TryFind(SlotDefinition slot, IReadOnlyList<string> texts, out string value)
    {
        value = "";
        if (texts.Count == 0)
            return false;
        if (slot.Type == SlotType.Text)
        {
            value = texts[^1].Trim();
            return value.Length > 0;
        }
        if (slot.Type == SlotType.RegexMatch)
        {
            value = texts.Any(t => KbPatterns.IsMatch(t, slot.Pattern!)) ? "true" : "false";
            return true;
        }
        for (var i = texts.Count - 1; i >= 0; i--)
            if (TryFindIn(slot, texts[i], out value))
                return true;
        return false;
    }

    private static bool TryFindIn(SlotDefinition slot, string text, out string value)
    {
        value = "";
        switch (slot.Type)
        {
            case SlotType.Dictionary:
                var item = FindItem(slot, text, exact: false);
                value = item?.Id ?? "";
                return item is not null;
            case SlotType.Integer:
                foreach (Match number in IntegerRegex().Matches(text))
                    if (TryInteger(slot, number.Value, out value))
                        return true;
                return false;
            case SlotType.Phone:
                foreach (Match candidate in PhoneLikeRegex().Matches(text))
                    if (PhoneNumber.Normalize(candidate.Value, slot.Mask) is { } phone)
                    {
                        value = phone;
                        return true;
                    }
                return false;
            case SlotType.RegexExtract:
                return TryExtract(slot.Pattern!, text, out value);
            default:
                return false;
        }
    }

    /// <summary>How a value reads in messages: the dictionary item's visible value, a phone formatted by the mask.</summary>
    public static string Display(SlotDefinition? slot, string value) => slot?.Type switch
    {
        SlotType.Dictionary => slot.Items.FirstOrDefault(i => i.Id == value)?.Value ?? value,
        SlotType.Phone => PhoneNumber.Format(value, slot.Mask),
        _ => value,
    };

    private static bool TryInteger(SlotDefinition slot, string text, out string value)
    {
        value = "";
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < (slot.Min ?? long.MinValue) || number > (slot.Max ?? long.MaxValue))
            return false;
        value = number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryExtract(string pattern, string text, out string value)
    {
        var match = KbPatterns.Match(text, pattern);
        value = !match.Success ? "" : match.Groups["value"].Success ? match.Groups["value"].Value
            : match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
        return match.Success && value.Length > 0;
    }

    // Exact: the whole answer is the item (by value, id, synonym, stems or its number in the list).
    // Loose: the item's words occur in the text, compared by stems so "в Москве" finds "Москва".
    private static DictionaryItem? FindItem(SlotDefinition slot, string text, bool exact)
    {
        if (exact && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                  && number >= 1 && number <= slot.Items.Count && !slot.Items.Any(i => i.Id == text))
            return slot.Items[number - 1];
        var textStems = TextAnalyzer.Stems(text).ToArray();
        if (textStems.Length == 0)
            return null;
        foreach (var item in slot.Items)
        {
            foreach (var name in item.Synonyms.Prepend(item.Value).Prepend(item.Id))
            {
                var nameStems = TextAnalyzer.Stems(name).ToArray();
                if (nameStems.Length == 0)
                    continue;
                if (exact ? nameStems.SequenceEqual(textStems) : ContainsSequence(textStems, nameStems))
                    return item;
            }
        }
        return null;
    }

    private static bool ContainsSequence(string[] text, string[] part)
    {
        for (var i = 0; i + part.Length <= text.Length; i++)
            if (text.AsSpan(i, part.Length).SequenceEqual(part))
                return true;
        return false;
    }
}
