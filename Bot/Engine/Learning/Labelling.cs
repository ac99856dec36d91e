using BotEngine.Engine.Desk;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Learning;

/// <summary>
/// What a KB editor does in the inbox: label messages (one, or a whole group) or a typed text with an article or as
/// "not an intent", skip them, or mark a dialog CHECKED. A label answers at once (the live bot's exact-match overlay)
/// and the next training learns it. Refusals are <see cref="DeskException"/>s naming the field.
/// </summary>
public sealed class Labelling(LabellingStore store, TrainingExampleStore examples, KnowledgeRuntime knowledge, IOptions<LearningOptions> options, TimeProvider time)
{
    public const int MaxMessages = 1000;
    public const int MaxTextLength = 2000;

    /// <summary>Labels a text that is not (or not only) a stored message, e.g. history kept elsewhere; answers the stored example.</summary>
    public async Task<TrainingExampleRow> LabelTextAsync(string? text, string? language, string? articleId, bool outOfScope, string operatorId,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new DeskException(400, "text: the text is empty.");
        text = text.Trim();
        if (text.Length > MaxTextLength)
            throw new DeskException(400, $"text: at most {MaxTextLength} characters.");
        if (ClassifierArticleMatcher.Normalize(text).Length == 0)
            throw new DeskException(400, "text: the text has no words.");
        if (language is not null && language is not ("ru" or "en"))
            throw new DeskException(400, $"language: '{language}' is not ru or en.");
        CheckTarget(articleId, outOfScope);
        var example = new TrainingExampleRow
        {
            Id = Ids.New(), Text = text, Language = language ?? LanguageDetector.Detect(text) ?? "en", ArticleId = articleId,
            Source = TrainingSources.ManualLabel, Weight = options.Value.ManualLabelWeight, CreatedBy = operatorId, CreatedAt = time.NowMicros(),
        };
        await examples.AddAsync([example], cancellationToken);
        await knowledge.AddLabelsAsync([example], cancellationToken);
        return example;
    }

    /// <summary>Deletes a stored example (a label, an operator's choice, a client's pick); the overlay forgets it at once.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await examples.DeleteAsync(id, cancellationToken))
            return false;
        await knowledge.ReloadLabelsIfChangedAsync(cancellationToken);
        return true;
    }

    /// <summary>Labels the messages; answers the stored examples.</summary>
    public async Task<IReadOnlyList<TrainingExampleRow>> LabelAsync(IReadOnlyList<string>? messageIds, string? articleId, bool outOfScope,
        string operatorId, CancellationToken cancellationToken)
    {
        var ids = CheckIds(messageIds);
        CheckTarget(articleId, outOfScope);
        var open = (await store.FindOpenAsync(ids, cancellationToken)).ToDictionary(m => m.MessageId, StringComparer.Ordinal);
        var missing = ids.FindIndex(id => !open.ContainsKey(id));
        if (missing >= 0)
            throw new DeskException(400, $"messageIds[{missing}]: message '{ids[missing]}' is not in the labelling inbox (unknown, or labelled or skipped already).");
        var now = time.NowMicros();
        var labels = ids.Select(id => open[id]).Select(m => new TrainingExampleRow
        {
            Id = Ids.New(), Text = m.Text, Language = m.Language, ArticleId = articleId, Source = TrainingSources.ManualLabel,
            Weight = options.Value.ManualLabelWeight, CreatedBy = operatorId, CreatedAt = now, MessageId = m.MessageId,
        }).ToList();
        if (!await store.LabelAsync(labels, operatorId, now, cancellationToken))
            throw new DeskException(409, "messageIds: another editor labelled or skipped one of these messages meanwhile; reload the inbox.");
        await knowledge.AddLabelsAsync(labels, cancellationToken);
        return labels;
    }

    /// <summary>Skips the messages; answers how many were still open.</summary>
    public Task<int> SkipAsync(IReadOnlyList<string>? messageIds, string operatorId, CancellationToken cancellationToken) =>
        store.SkipAsync(CheckIds(messageIds), operatorId, time.NowMicros(), cancellationToken);

    public async Task CheckDialogAsync(string dialogId, string operatorId, CancellationToken cancellationToken)
    {
        if (!await store.CheckDialogAsync(dialogId, operatorId, time.NowMicros(), cancellationToken))
            throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
    }

    private void CheckTarget(string? articleId, bool outOfScope)
    {
        if (outOfScope == articleId is not null)
            throw new DeskException(400, "articleId: give either an article id or \"outOfScope\": true (not both, not neither).");
        if (articleId is not null && !knowledge.Document.Articles.Exists(a => a.Id == articleId))
            throw new DeskException(400, $"articleId: article '{articleId}' does not exist.");
    }

    private static List<string> CheckIds(IReadOnlyList<string>? messageIds)
    {
        if (messageIds is not { Count: > 0 })
            throw new DeskException(400, "messageIds: name at least one message.");
        if (messageIds.Count > MaxMessages)
            throw new DeskException(400, $"messageIds: at most {MaxMessages} messages at once.");
        var blank = messageIds.ToList().FindIndex(string.IsNullOrWhiteSpace);
        if (blank >= 0)
            throw new DeskException(400, $"messageIds[{blank}]: the id is empty.");
        return messageIds.Distinct(StringComparer.Ordinal).ToList();
    }
}
