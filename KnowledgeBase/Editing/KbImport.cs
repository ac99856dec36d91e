namespace BotEngine.KnowledgeBase;

/// <summary>Whole-KB import as pure functions; the caller stores the resulting document in one transaction.</summary>
public static class KbImport
{
    /// <summary>Parses and validates an imported JSON text, then merges it into (or replaces) the current KB.</summary>
    public static KbChange Import(KbDocument current, string json, bool replace)
    {
        if (!KbJson.TryParse(json, out var incoming, out var parseError))
            return KbChange.Failed(parseError!);
        // An export shows agents' secrets as a placeholder: importing it back keeps the stored secrets.
        incoming = KbSecrets.KeepStored(incoming!, current);
        return replace ? Replace(incoming) : Merge(current, incoming);
    }

    /// <summary>The incoming document becomes the KB, if it is valid on its own.</summary>
    public static KbChange Replace(KbDocument incoming) => KbChange.Validated(KbJson.Clone(incoming));

    /// <summary>
    /// Entities with the same identifier are replaced, new ones appended, the rest kept; settings are merged
    /// per language. The merged result must be valid as a whole.
    /// </summary>
    public static KbChange Merge(KbDocument current, KbDocument incoming)
    {
        var merged = KbJson.Clone(current);
        var add = KbJson.Clone(incoming);
        merged.Version = Math.Max(merged.Version, add.Version);
        MergeById(merged.RecordTypes, add.RecordTypes, r => r.Id);
        MergeById(merged.Topics, add.Topics, t => t.Id);
        MergeById(merged.Slots, add.Slots, s => s.Id);
        MergeById(merged.Agents, add.Agents, a => a.Id);
        MergeById(merged.Calendars, add.Calendars, c => c.CallCentre);
        MergeById(merged.Articles, add.Articles, a => a.Id);
        MergeTexts(merged.Settings.GreetingArticle, add.Settings.GreetingArticle);
        MergeTexts(merged.Settings.FallbackText, add.Settings.FallbackText);
        MergeTexts(merged.Settings.HandoffText, add.Settings.HandoffText);
        MergeTexts(merged.Settings.CancelText, add.Settings.CancelText);
        merged.Settings.MinConfidence = add.Settings.MinConfidence ?? merged.Settings.MinConfidence;
        return KbChange.Validated(merged);
    }

    private static void MergeById<T>(List<T> target, List<T> incoming, Func<T, string> id)
    {
        foreach (var item in incoming)
        {
            var index = target.FindIndex(existing => id(existing) == id(item));
            if (index >= 0)
                target[index] = item;
            else
                target.Add(item);
        }
    }

    private static void MergeTexts(Dictionary<string, string> target, Dictionary<string, string> incoming)
    {
        foreach (var (key, value) in incoming)
            target[key] = value;
    }
}
