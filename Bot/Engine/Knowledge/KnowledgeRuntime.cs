using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using BotEngine.Engine.Learning;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu;
using BotEngine.Storage.Knowledge;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// The bot's current knowledge: the knowledge base, a classifier trained on its phrasings, the dialog runner
/// over both, and the search index. Every change is stored first, then a new set is swapped in whole, so a turn
/// never sees a half-updated one. Retraining is slow, so it runs in the background: until it finishes, the new
/// set uses the previous classifier; exact KB phrasings are always answered by their article. The classifier learns
/// the KB's phrasings plus the labels of the promoted registry model (<see cref="Live"/>); promoting a model swaps
/// its classifier in the same way. Editors' manual labels are matched exactly too (after the KB's phrasings), from the
/// moment they are stored, so a label answers before the training that learns it.
/// </summary>
public sealed partial class KnowledgeRuntime(
    KbStore store,
    TrainingExampleStore examples,
    ModelRegistryStore registry,
    IIntentTrainer trainer,
    KbSearchIndex search,
    TimeProvider time,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeRuntime> logger)
{
    private readonly SemaphoreSlim _edits = new(1, 1);
    private readonly Lock _swap = new();
    private readonly Channel<bool> _trainRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile Loaded? _current;
    private volatile LiveModel _live = LiveModel.KbOnly;
    private volatile IReadOnlyDictionary<string, string> _labels = new Dictionary<string, string>(StringComparer.Ordinal);
    private string? _labelsVersion;
    private readonly SemaphoreSlim _labelReload = new(1, 1);

    private Loaded Current => _current ?? throw new InvalidOperationException("The knowledge base is not loaded yet.");

    public DialogRunner Runner => Current.Runner;

    public IIntentClassifier Classifier => Current.Classifier;

    /// <summary>
    /// What the bot's own answers match with: the KB's exact phrasings, then editors' labels, then the classifier.
    /// Operators' suggestions use it too, so a label is suggested as soon as the bot answers with it.
    /// </summary>
    public ClassifierArticleMatcher Matcher => Current.Matcher;

    /// <summary>The current document. Treat as read-only: edits go through <see cref="ChangeAsync"/>.</summary>
    public KbDocument Document => Current.Document;

    public KbSearchIndex Search => search;

    public bool IsLoaded => _current is not null;

    /// <summary>The registry model whose labels the live classifier learned.</summary>
    public LiveModel Live => _live;

    /// <summary>The document and its revision, read together.</summary>
    public (KbDocument Document, long Revision) Snapshot
    {
        get
        {
            var current = Current;
            return (current.Document, current.Revision);
        }
    }

    public KnowledgeStatus Status
    {
        get
        {
            var current = Current;
            return new KnowledgeStatus(current.Revision, current.TrainedRevision, current.Document.Articles.Count);
        }
    }

    /// <summary>Loads (or seeds) the stored KB and trains on it before the engine takes traffic.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(cancellationToken);
        if (stored is null)
        {
            var seed = options.Value.SeedFile;
            var document = File.Exists(seed) ? KbJson.Parse(await File.ReadAllTextAsync(seed, cancellationToken)) : new KbDocument();
            if (await store.SaveAsync(null, document, 0, null, cancellationToken))
                LogSeeded(logger, seed, document.Articles.Count);
            stored = await store.LoadAsync(cancellationToken) ?? new StoredKb(document, 1);
        }
        await LoadLabelsAsync(cancellationToken);
        var promoted = await registry.PromotedAsync(cancellationToken);
        _live = promoted is null ? LiveModel.KbOnly : new LiveModel(promoted.Id, promoted.ExamplesThrough);
        // The promoted model itself when it was trained on this KB revision (no training at start), else a retrain with its labels.
        var content = promoted is not null && promoted.KbRevision == stored.Revision ? await registry.ContentAsync(promoted.Id, cancellationToken) : null;
        var classifier = content is not null ? ModelBytes.Load(content) : Train(stored.Document, await LabelsAsync(_live, cancellationToken), cancellationToken);
        lock (_swap)
            _current = Build(stored.Document, stored.Revision, classifier, stored.Document, stored.Revision);
        search.Rebuild(stored.Document);
    }

    /// <summary>
    /// Applies an edit to the current document, stores the result in one transaction and swaps it in; the search
    /// index is updated before this returns, the classifier soon after. When another node saved first, the edit is
    /// re-applied to the freshly loaded document.
    /// </summary>
    public Task<(KbChange Change, long Revision)> ChangeAsync(Func<KbDocument, KbChange> edit, CancellationToken cancellationToken) =>
        ChangeAsync(edit, null, cancellationToken);

    /// <summary>As <see cref="ChangeAsync(Func{KbDocument, KbChange}, CancellationToken)"/>, naming who made the change in the articles' history.</summary>
    public async Task<(KbChange Change, long Revision)> ChangeAsync(Func<KbDocument, KbChange> edit, string? author, CancellationToken cancellationToken)
    {
        await _edits.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var current = Current;
                var change = edit(current.Document);
                if (!change.Succeeded)
                    return (change, current.Revision);
                if (await store.SaveAsync(current.Document, change.Document!, current.Revision, author, cancellationToken))
                {
                    Publish(change.Document!, current.Revision + 1);
                    return (change, current.Revision + 1);
                }
                if (attempt >= 3)
                    throw new InvalidOperationException("The knowledge base kept changing under the edit.");
                await ReloadAsync(cancellationToken);
            }
        }
        finally
        {
            _edits.Release();
        }
    }

    /// <summary>Picks up a change another node stored.</summary>
    public async Task ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        if (_current is null || await store.RevisionAsync(cancellationToken) == _current.Revision)
            return;
        await _edits.WaitAsync(cancellationToken);
        try
        {
            await ReloadAsync(cancellationToken);
        }
        finally
        {
            _edits.Release();
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(cancellationToken) is { } stored && stored.Revision != Current.Revision)
            Publish(stored.Document, stored.Revision);
    }

    private void Publish(KbDocument document, long revision)
    {
        Loaded previous;
        lock (_swap)
        {
            previous = Current;
            _current = Build(document, revision, previous.Classifier, previous.TrainedDocument, previous.TrainedRevision);
        }
        UpdateSearch(previous.Document, document);
        _trainRequests.Writer.TryWrite(true);
    }

    /// <summary>
    /// Picks up labels stored since the last look (by this node or another): the exact-match overlay is rebuilt and the
    /// runner swapped, the classifier stays.
    /// </summary>
    public async Task ReloadLabelsIfChangedAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
            return;
        await _labelReload.WaitAsync(cancellationToken);
        try
        {
            if (await examples.VersionAsync(cancellationToken) == _labelsVersion)
                return;
            await LoadLabelsAsync(cancellationToken);
            lock (_swap)
            {
                var now = Current;
                _current = Build(now.Document, now.Revision, now.Classifier, now.TrainedDocument, now.TrainedRevision);
            }
        }
        finally
        {
            _labelReload.Release();
        }
    }

    /// <summary>
    /// Adds labels this node just stored to the overlay without reading them all back (a month of history is labelled
    /// a message at a time); the reload check still compares with the store.
    /// </summary>
    public async Task AddLabelsAsync(IReadOnlyList<TrainingExampleRow> rows, CancellationToken cancellationToken)
    {
        if (_current is null)
            return;
        await _labelReload.WaitAsync(cancellationToken);
        try
        {
            var labels = new Dictionary<string, string>(_labels, StringComparer.Ordinal);
            foreach (var row in rows.Where(r => r.Source == TrainingSources.ManualLabel))
                labels[ClassifierArticleMatcher.Normalize(row.Text)] = row.ArticleId ?? TrainingSet.OutOfScope;
            _labels = labels;
            lock (_swap)
            {
                var now = Current;
                _current = Build(now.Document, now.Revision, now.Classifier, now.TrainedDocument, now.TrainedRevision);
            }
        }
        finally
        {
            _labelReload.Release();
        }
    }

    /// <summary>The label an editor gave this text (an article id, or <see cref="TrainingSet.OutOfScope"/>), if any.</summary>
    public string? LabelOf(string text) => _labels.GetValueOrDefault(ClassifierArticleMatcher.Normalize(text));

    private async Task LoadLabelsAsync(CancellationToken cancellationToken)
    {
        var version = await examples.VersionAsync(cancellationToken);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in await examples.ManualLabelsAsync(cancellationToken))
            labels[ClassifierArticleMatcher.Normalize(row.Text)] = row.ArticleId ?? TrainingSet.OutOfScope; // the newest label of a text wins
        _labels = labels;
        _labelsVersion = version;
    }

    /// <summary>
    /// Swaps in a promoted model's classifier, trained on <paramref name="kbRevision"/>; when the KB changed since, it
    /// serves until a retrain with the model's labels catches up.
    /// </summary>
    public void Promote(LiveModel live, IIntentClassifier classifier, long kbRevision)
    {
        lock (_swap)
        {
            _live = live;
            var now = Current;
            _current = Build(now.Document, now.Revision, classifier, kbRevision == now.Revision ? now.Document : now.TrainedDocument, kbRevision);
        }
        _trainRequests.Writer.TryWrite(true);
    }

    /// <summary>Picks up a model another node promoted (its stored classifier, or a retrain with its labels).</summary>
    public async Task ReloadModelIfChangedAsync(CancellationToken cancellationToken)
    {
        if (_current is null || await registry.PromotedIdAsync(cancellationToken) == _live.ModelId)
            return;
        if (await registry.PromotedAsync(cancellationToken) is not { } promoted)
            return;
        var live = new LiveModel(promoted.Id, promoted.ExamplesThrough);
        if (promoted.KbRevision == Current.Revision && await registry.ContentAsync(promoted.Id, cancellationToken) is { } content)
        {
            Promote(live, ModelBytes.Load(content), promoted.KbRevision);
            return;
        }
        lock (_swap)
        {
            _live = live;
            var now = Current;
            _current = Build(now.Document, now.Revision, now.Classifier, now.TrainedDocument, -1); // retrain with the new labels
        }
        _trainRequests.Writer.TryWrite(true);
    }

    /// <summary>Retrains whenever the KB or the promoted labels changed; several changes during one training are covered by the next one.</summary>
    public async Task RunTrainingAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _trainRequests.Reader.ReadAllAsync(cancellationToken))
        {
            var target = Current;
            var live = _live;
            if (target.TrainedRevision == target.Revision)
                continue;
            IIntentClassifier classifier;
            try
            {
                var labels = await LabelsAsync(live, cancellationToken);
                classifier = await Task.Run(() => Train(target.Document, labels, cancellationToken), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The previous classifier plus exact phrasings keep serving; the next change tries again.
                LogTrainingFailed(logger, e);
                continue;
            }
            lock (_swap)
            {
                if (!ReferenceEquals(live, _live))
                    continue; // a model was promoted meanwhile: its classifier stays, and its own retrain is queued
                // The KB may have changed again meanwhile: the newest document gets the new classifier, the overlay covers the rest.
                var now = Current;
                _current = Build(now.Document, now.Revision, classifier, target.Document, target.Revision);
            }
        }
    }

    private async Task<List<TrainingExampleRow>> LabelsAsync(LiveModel live, CancellationToken cancellationToken) =>
        live.ModelId is null ? [] : await examples.UpToAsync(live.ExamplesThrough, cancellationToken);

    private IIntentClassifier Train(KbDocument document, IReadOnlyList<TrainingExampleRow> labels, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var set = TrainingSet.Build(document, labels);
        var classifier = set.HasTwoIntents ? trainer.Train(set.Examples, cancellationToken) : new ExactIntents(set.Examples);
        LogTrained(logger, document.Articles.Count, set.Examples.Count, stopwatch.ElapsedMilliseconds);
        return classifier;
    }

    private Loaded Build(KbDocument document, long revision, IIntentClassifier classifier, KbDocument trainedDocument, long trainedRevision)
    {
        var matcher = new ClassifierArticleMatcher(classifier, ExactPhrasings(document));
        return new Loaded(document, revision, RunnerOver(document, matcher), matcher, classifier, trainedDocument, trainedRevision);
    }

    /// <summary>
    /// The matcher the bot would use for <paramref name="document"/> (an editor's unsaved draft, or the current KB):
    /// the current classifier and the document's own exact phrasings, as between a save and its retraining.
    /// </summary>
    public ClassifierArticleMatcher MatcherFor(KbDocument document) => new(Classifier, ExactPhrasings(document));

    /// <summary>A runner over <paramref name="document"/> configured as the bot's own, for trying a KB without saving it.</summary>
    public DialogRunner RunnerOver(KbDocument document, IArticleMatcher matcher) =>
        new(document, matcher, new DialogRunnerOptions { MinConfidence = MinConfidenceOf(document), ClarifyMinConfidence = options.Value.ClarifyMinConfidence }, time);

    /// <summary>The bot's confidence threshold for <paramref name="document"/>: its settings' when set, else the engine's option.</summary>
    public double MinConfidenceOf(KbDocument document) => document.Settings.MinConfidence ?? options.Value.MinConfidence;

    /// <summary>
    /// Every phrasing an editor wrote, normalised: a client who writes one of them gets its article whatever the
    /// classifier makes of it (an article with a single phrasing, or one added while retraining runs). Then the
    /// labelled texts whose article exists (or "not an intent"), which the next training learns.
    /// </summary>
    private Dictionary<string, string> ExactPhrasings(KbDocument document)
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var article in document.Articles)
        {
            foreach (var question in article.Questions)
                exact.TryAdd(ClassifierArticleMatcher.Normalize(question), article.Id);
        }
        if (_labels.Count > 0)
        {
            var articles = document.Articles.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (text, article) in _labels)
            {
                if (article == TrainingSet.OutOfScope || articles.Contains(article))
                    exact.TryAdd(text, article);
            }
        }
        return exact;
    }

    private void UpdateSearch(KbDocument before, KbDocument after)
    {
        var old = before.Articles.ToDictionary(a => a.Id, a => JsonSerializer.Serialize(a, KbJson.Options), StringComparer.Ordinal);
        foreach (var article in after.Articles)
        {
            if (!old.Remove(article.Id, out var json) || json != JsonSerializer.Serialize(article, KbJson.Options))
                search.Upsert(article);
        }
        foreach (var removed in old.Keys)
            search.Remove(removed);
    }

    private sealed record Loaded(KbDocument Document, long Revision, DialogRunner Runner, ClassifierArticleMatcher Matcher, IIntentClassifier Classifier, KbDocument TrainedDocument, long TrainedRevision);

    /// <summary>A KB with fewer than two intents cannot train a classifier: match its phrasings exactly.</summary>
    private sealed class ExactIntents(IReadOnlyList<TrainingExample> examples) : IIntentClassifier
    {
        private readonly Dictionary<string, string> _known = examples
            .GroupBy(e => ClassifierArticleMatcher.Normalize(e.Text))
            .ToDictionary(g => g.Key, g => g.First().Intent, StringComparer.Ordinal);

        public IntentPrediction Predict(string text, int topK = 3) =>
            _known.TryGetValue(ClassifierArticleMatcher.Normalize(text), out var intent) ? new([new IntentScore(intent, 1)], false) : new([], true);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Seeded the knowledge base from {File} ({Articles} articles)")]
    private static partial void LogSeeded(ILogger logger, string file, int articles);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Retraining the classifier failed")]
    private static partial void LogTrainingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Knowledge trained: {Articles} articles, {Examples} examples, in {Milliseconds} ms")]
    private static partial void LogTrained(ILogger logger, int articles, int examples, long milliseconds);
}
