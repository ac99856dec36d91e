using BotEngine.Engine.Learning;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// Phrasing quality hints for the KB editor: articles whose phrasings the classifier confuses with another article's
/// (cross-validation on the KB phrasings: each fold's phrasings answered by a model trained on the others), articles
/// with too few phrasings to learn from, and duplicate articles (shared phrasings or the same title). The
/// cross-validation trains a model per fold, so it runs in the background once per KB revision; meanwhile the report
/// says it is computing and gives the cheap hints.
/// </summary>
public sealed partial class PhrasingQuality(KnowledgeRuntime knowledge, IIntentTrainer trainer, ILogger<PhrasingQuality> logger)
{
    /// <summary>Below this many phrasings an article is hinted: the classifier learns an intent from about five.</summary>
    public const int MinPhrasings = 5;
    private const int Folds = 3;

    private readonly Lock _lock = new();
    private (long Revision, Task<List<QualityHint>> Confusions, CancellationTokenSource Cancel)? _current;

    public QualityReport Report()
    {
        var (document, revision) = knowledge.Snapshot;
        var confusions = ConfusionsOf(document, revision);
        var hints = new List<QualityHint>();
        var state = "computing";
        if (confusions.IsCompletedSuccessfully)
        {
            hints.AddRange(confusions.Result);
            state = "ready";
        }
        else if (confusions.IsFaulted)
        {
            state = "failed";
        }
        hints.AddRange(FewPhrasings(document));
        hints.AddRange(Duplicates(document));
        return new QualityReport(revision, state, hints);
    }

    /// <summary>The cross-validation of <paramref name="revision"/>, started on first ask (one at a time; a newer revision replaces it).</summary>
    public Task<List<QualityHint>> ConfusionsOf(KbDocument document, long revision)
    {
        lock (_lock)
        {
            if (_current is { } current)
            {
                if (current.Revision == revision)
                    return current.Confusions;
                current.Cancel.Cancel(); // an older revision's hints are of no use any more
            }
            var minConfidence = knowledge.MinConfidenceOf(document);
            var cancel = new CancellationTokenSource();
            var task = Task.Run(() => CrossValidate(document, minConfidence, cancel.Token), cancel.Token);
            _current = (revision, task, cancel);
            _ = task.ContinueWith(t => LogFailed(logger, revision, t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return task;
        }
    }

    private List<QualityHint> CrossValidate(KbDocument document, double minConfidence, CancellationToken cancellationToken)
    {
        var examples = document.Articles.SelectMany(a => a.Questions.Where(q => !string.IsNullOrWhiteSpace(q)).Select(q => new TrainingExample(q, a.Id))).ToList();
        var tally = new Dictionary<(string Article, string Answer), List<string>>();
        for (var fold = 0; fold < Folds; fold++)
        {
            var heldOut = examples.Where(e => CrossValidation.FoldOf(e.Text, Folds) == fold).ToList();
            var train = examples.Where(e => CrossValidation.FoldOf(e.Text, Folds) != fold).ToList();
            if (heldOut.Count == 0 || train.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
                continue;
            var model = trainer.Train(train, cancellationToken);
            foreach (var example in heldOut)
            {
                var answer = ScoreTally.Answer(model, example.Text, minConfidence);
                if (answer == example.Intent || answer == TrainingSet.OutOfScope)
                    continue;
                if (!tally.TryGetValue((example.Intent, answer), out var texts))
                    tally[(example.Intent, answer)] = texts = [];
                texts.Add(example.Text);
            }
        }
        var articles = document.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return tally
            .Select(p => (p.Key, Texts: p.Value, Of: articles[p.Key.Article].Questions.Count))
            // One confused phrasing in a large article is noise; two, or a quarter of them, is a pattern.
            .Where(p => p.Texts.Count >= 2 || p.Texts.Count * 4 >= p.Of)
            .OrderByDescending(p => p.Texts.Count).ThenBy(p => p.Key.Article, StringComparer.Ordinal)
            .Select(p => new QualityHint(p.Key.Article, articles[p.Key.Article].Title, "confused", p.Texts.Count, p.Of, p.Key.Answer, articles[p.Key.Answer].Title)
            {
                Examples = p.Texts.Take(3).ToList(),
            })
            .ToList();
    }

    private static IEnumerable<QualityHint> FewPhrasings(KbDocument document) =>
        // An article without phrasings is reached by buttons only, on purpose; one with a few is meant to be asked for.
        document.Articles.Where(a => a.Questions.Count is > 0 and < MinPhrasings)
            .Select(a => new QualityHint(a.Id, a.Title, "few_phrasings", a.Questions.Count, MinPhrasings));

    private static List<QualityHint> Duplicates(KbDocument document)
    {
        var owners = new Dictionary<string, List<Article>>(StringComparer.Ordinal);
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var article in document.Articles)
        {
            var texts = article.Questions.Select(ClassifierArticleMatcher.Normalize).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            distinct[article.Id] = texts.Count;
            foreach (var text in texts)
            {
                if (!owners.TryGetValue(text, out var list))
                    owners[text] = list = [];
                list.Add(article);
            }
        }
        var shared = new Dictionary<(string, string), int>();
        foreach (var list in owners.Values.Where(l => l.Count > 1))
        {
            foreach (var a in list)
            {
                foreach (var b in list.Where(b => b.Id != a.Id))
                    shared[(a.Id, b.Id)] = shared.GetValueOrDefault((a.Id, b.Id)) + 1;
            }
        }
        var byTitle = document.Articles.Where(a => ClassifierArticleMatcher.Normalize(a.Title).Length > 0)
            .GroupBy(a => ClassifierArticleMatcher.Normalize(a.Title), StringComparer.Ordinal).Where(g => g.Count() > 1);
        foreach (var group in byTitle)
        {
            foreach (var a in group)
            {
                foreach (var b in group.Where(b => b.Id != a.Id))
                    shared.TryAdd((a.Id, b.Id), 0);
            }
        }
        var articles = document.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        // Any phrasing two articles share is a hint (the bot answers it with one of them only), and so is the same title;
        // articles alike in other words show up as confused.
        return shared.Select(p => new QualityHint(p.Key.Item1, articles[p.Key.Item1].Title, "duplicate", p.Value, distinct[p.Key.Item1], p.Key.Item2, articles[p.Key.Item2].Title))
            .OrderBy(h => h.ArticleId, StringComparer.Ordinal).ThenBy(h => h.OtherId, StringComparer.Ordinal)
            .ToList();
    }

    [LoggerMessage(EventId = 761, Level = LogLevel.Error, Message = "The phrasing quality cross-validation of KB revision {Revision} failed")]
    private static partial void LogFailed(ILogger logger, long revision, Exception exception);
}
