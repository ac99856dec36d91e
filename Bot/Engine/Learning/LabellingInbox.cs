using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Learning;

/// <summary>
/// The labelling inbox: the newest open misses (up to <see cref="LearningOptions.InboxScanLimit"/>) grouped by
/// normalised text and language, ranked by frequency times the live classifier's uncertainty, a page at a time. A text
/// an editor labelled already (typed, or another message of it) is not asked again.
/// </summary>
public sealed class LabellingInbox(LabellingStore store, KnowledgeRuntime knowledge, IOptions<LearningOptions> options)
{
    public async Task<InboxPage> PageAsync(MissFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        var misses = await store.OpenMissesAsync(filter, options.Value.InboxScanLimit, cancellationToken);
        var classifier = knowledge.Classifier;
        var titles = knowledge.Document.Articles.ToDictionary(a => a.Id, a => a.Title, StringComparer.Ordinal);
        var groups = misses
            .GroupBy(m => (Key: ClassifierArticleMatcher.Normalize(m.Text), m.Language))
            .Where(g => knowledge.LabelOf(g.First().Text) is null)
            .Select(g =>
            {
                var rows = g.ToList(); // newest first
                var prediction = classifier.Predict(rows[0].Text, 3);
                var uncertainty = prediction.IsOutOfScope || prediction.Best is not { } best ? 1 : 1 - best.Confidence;
                return new InboxGroup(rows[0].Text, rows.Count, rows.Select(r => r.MessageId).ToList(), rows.Select(r => r.DialogId).Distinct().ToList(),
                    rows.Select(r => r.Kind).Distinct().ToList(), g.Key.Language, rows.Select(r => r.Line ?? "").Distinct().ToList(),
                    TimeExtensions.FromMicros(rows[0].At),
                    prediction.Top.Where(p => titles.ContainsKey(p.Intent)).Select(p => new InboxCandidate(p.Intent, titles[p.Intent], Math.Round(p.Confidence, 4))).ToList(),
                    uncertainty, rows.Count * uncertainty);
            })
            .OrderByDescending(g => g.Score).ThenByDescending(g => g.Count).ThenByDescending(g => g.LastAt)
            .ToList();
        return new InboxPage(groups.Skip(offset).Take(limit).ToList(), groups.Count, misses.Count);
    }
}
