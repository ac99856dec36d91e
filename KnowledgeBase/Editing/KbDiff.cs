using System.Text.Json;

namespace BotEngine.KnowledgeBase;

/// <summary>What differs between two KB documents, entity by entity: the import's dry run lists it before anything is stored.</summary>
public static class KbDiff
{
    public static IReadOnlyList<KbItemChange> Changes(KbDocument before, KbDocument after)
    {
        var changes = new List<KbItemChange>();
        Compare("recordTypes", before.RecordTypes, after.RecordTypes, r => r.Id, changes);
        Compare("topics", before.Topics, after.Topics, t => t.Id, changes);
        Compare("slots", before.Slots, after.Slots, s => s.Id, changes);
        Compare("agents", before.Agents, after.Agents, a => a.Id, changes);
        Compare("calendars", before.Calendars, after.Calendars, c => c.CallCentre, changes);
        Compare("articles", before.Articles, after.Articles, a => a.Id, changes);
        if (Json(before.Settings) != Json(after.Settings))
            changes.Add(new("settings", "settings", KbItemChange.Changed));
        return changes;
    }

    private static void Compare<T>(string collection, List<T> before, List<T> after, Func<T, string> id, List<KbItemChange> changes)
    {
        var old = before.GroupBy(id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Json(g.First()), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            var key = id(item);
            if (!seen.Add(key))
                continue;
            if (!old.TryGetValue(key, out var was))
                changes.Add(new(collection, key, KbItemChange.Added));
            else if (was != Json(item))
                changes.Add(new(collection, key, KbItemChange.Changed));
        }
        changes.AddRange(old.Keys.Where(key => !seen.Contains(key)).Select(key => new KbItemChange(collection, key, KbItemChange.Removed)));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, KbJson.Options);
}
