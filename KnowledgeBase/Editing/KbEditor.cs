namespace BotEngine.KnowledgeBase;

/// <summary>Single-entity edits for the editor API, as pure functions: document in, new document (or errors) out.</summary>
public static class KbEditor
{
    public static KbChange UpsertArticle(KbDocument doc, Article article)
    {
        var copy = KbJson.Clone(doc);
        // Topics can be created from the article form: a topic the article names but the KB lacks is added.
        foreach (var topic in article.Topics.Where(KbValidator.IsValidIdentifier))
            if (!copy.Topics.Any(t => t.Id == topic))
                copy.Topics.Add(new Topic { Id = topic, Name = topic });
        return Upsert(copy, copy.Articles, KbJson.Clone(article), a => a.Id, "articles");
    }

    public static KbChange UpsertRecordType(KbDocument doc, RecordType value) => Upsert(doc, d => d.RecordTypes, value, r => r.Id, "recordTypes");
    public static KbChange UpsertTopic(KbDocument doc, Topic value) => Upsert(doc, d => d.Topics, value, t => t.Id, "topics");
    public static KbChange UpsertSlot(KbDocument doc, SlotDefinition value) => Upsert(doc, d => d.Slots, value, s => s.Id, "slots");
    /// <summary>An agent sent without a new secret (or with the placeholder) keeps its stored one.</summary>
    public static KbChange UpsertAgent(KbDocument doc, ExternalAgent value) =>
        Upsert(doc, d => d.Agents, KbSecrets.KeepStored(value, doc), a => a.Id, "agents");
    public static KbChange UpsertCalendar(KbDocument doc, BusinessCalendar value) => Upsert(doc, d => d.Calendars, value, c => c.CallCentre, "calendars");

    /// <summary>Refused (with the referring field named) while something still refers to the entity.</summary>
    public static KbChange DeleteArticle(KbDocument doc, string id) => Delete(doc, d => d.Articles, id, a => a.Id, "article");
    public static KbChange DeleteRecordType(KbDocument doc, string id) => Delete(doc, d => d.RecordTypes, id, r => r.Id, "record type");
    public static KbChange DeleteSlot(KbDocument doc, string id) => Delete(doc, d => d.Slots, id, s => s.Id, "slot");
    public static KbChange DeleteAgent(KbDocument doc, string id) => Delete(doc, d => d.Agents, id, a => a.Id, "external agent");
    public static KbChange DeleteCalendar(KbDocument doc, string callCentre) => Delete(doc, d => d.Calendars, callCentre, c => c.CallCentre, "calendar");

    public static KbChange DeleteTopic(KbDocument doc, string id)
    {
        var change = Delete(doc, d => d.Topics, id, t => t.Id, "topic");
        if (!change.Succeeded)
            return change;
        // Article topics are plain labels; dropping the topic drops the label too rather than resurrecting it.
        foreach (var article in change.Document!.Articles)
            article.Topics.Remove(id);
        return change;
    }

    private static KbChange Upsert<T>(KbDocument doc, Func<KbDocument, List<T>> list, T value, Func<T, string> id, string collection)
    {
        var copy = KbJson.Clone(doc);
        return Upsert(copy, list(copy), KbJson.Clone(value), id, collection);
    }

    private static KbChange Upsert<T>(KbDocument copy, List<T> items, T value, Func<T, string> id, string collection)
    {
        var index = items.FindIndex(item => id(item) == id(value));
        if (index >= 0)
            items[index] = value;
        else
        {
            index = items.Count;
            items.Add(value);
        }
        return KbChange.Validated(copy, $"{collection}[{index}]");
    }

    private static KbChange Delete<T>(KbDocument doc, Func<KbDocument, List<T>> list, string key, Func<T, string> id, string what)
    {
        var copy = KbJson.Clone(doc);
        if (list(copy).RemoveAll(item => id(item) == key) == 0)
            return KbChange.Failed(KbValidationError.Of("id", "not_found", $"{what} '{key}' does not exist", key));
        return KbChange.Validated(copy);
    }
}
