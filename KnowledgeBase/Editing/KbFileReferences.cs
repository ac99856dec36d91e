namespace BotEngine.KnowledgeBase;

/// <summary>
/// Finds the attachments that refer to files stored by the engine (answers and slot questions), so the engine can
/// check that they exist, fill in their names, and carry their contents in an export.
/// </summary>
public static class KbFileReferences
{
    /// <remarks>Null entries (a document not yet validated may have them) are skipped: the validator names them.</remarks>
    public static IEnumerable<KbFileReference> In(KbDocument doc)
    {
        for (var i = 0; i < (doc.Slots?.Count ?? 0); i++)
            foreach (var reference in doc.Slots![i] is { } slot ? In(slot, $"slots[{i}].") : [])
                yield return reference;
        for (var i = 0; i < (doc.Articles?.Count ?? 0); i++)
            foreach (var reference in doc.Articles![i] is { } article ? In(article, $"articles[{i}].") : [])
                yield return reference;
    }

    /// <param name="prefix">Prepended to the paths ("" for paths relative to the article).</param>
    public static IEnumerable<KbFileReference> In(Article article, string prefix = "")
    {
        for (var a = 0; a < (article.Answers?.Count ?? 0); a++)
            foreach (var reference in In(article.Answers![a]?.Attachments ?? [], $"{prefix}answers[{a}]"))
                yield return reference;
    }

    public static IEnumerable<KbFileReference> In(SlotDefinition slot, string prefix = "") =>
        In(slot.Question?.Attachments ?? [], $"{prefix}question").Concat(In(slot.FilledQuestion?.Attachments ?? [], $"{prefix}filledQuestion"));

    /// <summary>The references in an entity the editor API takes (articles and slots have attachments, the rest none).</summary>
    public static IEnumerable<KbFileReference> InEntity(object entity) => entity switch
    {
        Article article => In(article),
        SlotDefinition slot => In(slot),
        _ => [],
    };

    private static IEnumerable<KbFileReference> In(List<AnswerAttachment> attachments, string owner) =>
        attachments.Select((a, i) => (a, i)).Where(x => x.a?.FileId is not null).Select(x => new KbFileReference($"{owner}.attachments[{x.i}]", x.a));
}
