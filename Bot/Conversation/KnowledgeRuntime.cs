using System.Diagnostics;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Conversation;

public sealed class KnowledgeOptions
{
    /// <summary>The knowledge base loaded into an empty database on first start.</summary>
    public string SeedFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "training-data", "demo-kb.json");
    public double MinConfidence { get; set; } = 0.35;
}

/// <summary>
/// The bot's current knowledge: the knowledge base, a classifier trained on its phrasings and the dialog
/// runner over both. Reloading builds a new set and swaps it in whole, so a turn never sees a half-updated one.
/// </summary>
public sealed partial class KnowledgeRuntime(KbStore store, IIntentTrainer trainer, IOptions<KnowledgeOptions> options, ILogger<KnowledgeRuntime> logger)
{
    private volatile Loaded? _current;

    public DialogRunner Runner => (_current ?? throw new InvalidOperationException("The knowledge base is not loaded yet.")).Runner;

    public IIntentClassifier Classifier => (_current ?? throw new InvalidOperationException("The knowledge base is not loaded yet.")).Classifier;

    public bool IsLoaded => _current is not null;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var document = await store.LoadAsync(cancellationToken);
        if (document is null)
        {
            var seed = options.Value.SeedFile;
            document = File.Exists(seed) ? KbJson.Parse(await File.ReadAllTextAsync(seed, cancellationToken)) : new KbDocument();
            await store.ReplaceAsync(document, cancellationToken);
            LogSeeded(logger, seed, document.Articles.Count);
        }
        Apply(document, cancellationToken);
    }

    public void Apply(KbDocument document, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var examples = document.Articles
            .SelectMany(a => a.Questions.Select(q => new TrainingExample(q, a.Id)))
            .ToList();
        var classifier = examples.Count > 0 ? trainer.Train(examples, cancellationToken) : new NoIntents();
        var runner = new DialogRunner(document, new ClassifierArticleMatcher(classifier), new DialogRunnerOptions { MinConfidence = options.Value.MinConfidence });
        _current = new Loaded(runner, classifier);
        LogTrained(logger, document.Articles.Count, examples.Count, stopwatch.ElapsedMilliseconds);
    }

    private sealed record Loaded(DialogRunner Runner, IIntentClassifier Classifier);

    private sealed class NoIntents : IIntentClassifier
    {
        public IntentPrediction Predict(string text, int topK = 3) => new([], true);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Seeded the knowledge base from {File} ({Articles} articles)")]
    private static partial void LogSeeded(ILogger logger, string file, int articles);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Knowledge loaded: {Articles} articles, {Examples} phrasings, trained in {Milliseconds} ms")]
    private static partial void LogTrained(ILogger logger, int articles, int examples, long milliseconds);
}

/// <summary>Adapts the intent classifier to the runner: an intent is an article id.</summary>
public sealed class ClassifierArticleMatcher(IIntentClassifier classifier) : IArticleMatcher
{
    public IReadOnlyList<ArticleCandidate> Match(string text, string language)
    {
        var prediction = classifier.Predict(text, 3);
        return prediction.IsOutOfScope
            ? []
            : prediction.Top.Select(s => new ArticleCandidate(s.Intent, s.Confidence)).ToList();
    }
}
