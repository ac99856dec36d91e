using System.Text.Json;
using BotEngine.Engine.Knowledge;
using BotEngine.Nlu;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Learning;

/// <summary>
/// One training run (the nightly job, or one started through the API): trains a candidate on the KB phrasings plus
/// every stored example, compares it with the live configuration by cross-validation on the same folds, stores it in
/// the registry with its metrics, and promotes it (swapping the live classifier) only if the gate lets it.
/// </summary>
public sealed partial class ModelTraining(
    KnowledgeRuntime knowledge,
    IIntentTrainer trainer,
    TrainingExampleStore examples,
    ModelRegistryStore registry,
    IOptions<LearningOptions> options,
    IOptions<KnowledgeOptions> knowledgeOptions,
    TimeProvider time,
    ILogger<ModelTraining> logger)
{
    private static readonly JsonSerializerOptions MetricsJson = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Runs a training and answers the registry row it made.</summary>
    public async Task<StoredModel> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await TrainAsync(trigger, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<StoredModel> TrainAsync(string trigger, CancellationToken cancellationToken)
    {
        var (document, revision) = knowledge.Snapshot;
        var live = knowledge.Live;
        var stored = await examples.UpToAsync(long.MaxValue, cancellationToken);
        var through = stored.Count == 0 ? 0 : stored.Max(e => e.CreatedAt);
        var candidate = TrainingSet.Build(document, stored);
        var current = TrainingSet.Build(document, live.ModelId is null ? [] : stored.Where(e => e.CreatedAt <= live.ExamplesThrough));
        var row = new StoredModel
        {
            Id = Ids.New(), Trigger = trigger, KbRevision = revision, KbExamples = candidate.KbExamples,
            LabelledExamples = candidate.LabelledExamples, ExamplesThrough = through, Status = StoredModel.Rejected,
        };
        IIntentClassifier? classifier = null;
        if (!candidate.HasTwoIntents)
        {
            row.Reason = "rejected: the knowledge base and labels name fewer than two intents";
        }
        else
        {
            var o = options.Value;
            var (candidateScores, currentScores) = await Task.Run(() => CrossValidation.Compare(
                trainer, candidate, current, o.CrossValidationFolds, knowledgeOptions.Value.MinConfidence, cancellationToken), cancellationToken);
            var (promote, reason) = PromotionGate.Decide(candidateScores, currentScores, o);
            // Per intent: what got better or worse against the live model (worst first), the registry's report.
            var intents = PromotionGate.Deltas(candidateScores, currentScores);
            row.Metrics = JsonSerializer.Serialize(new { folds = o.CrossValidationFolds, candidate = candidateScores, live = currentScores, intents }, MetricsJson);
            row.Reason = reason;
            classifier = await Task.Run(() => trainer.Train(candidate.Examples, cancellationToken), cancellationToken);
            if (promote)
                row.Status = StoredModel.Promoted;
        }
        row.CreatedAt = time.NowMicros();
        if (row.Status == StoredModel.Promoted)
            row.PromotedAt = row.CreatedAt;
        await registry.AddAsync(row, classifier is null ? null : ModelBytes.From(classifier), cancellationToken);
        if (row.Status == StoredModel.Promoted)
            knowledge.Promote(new LiveModel(row.Id, row.ExamplesThrough), classifier!, revision);
        LogTrained(logger, row.Id, trigger, row.KbExamples, row.LabelledExamples, row.Reason);
        return row;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Model {ModelId} trained ({Trigger}) on {KbExamples} KB phrasings and {Labelled} labels: {Reason}")]
    private static partial void LogTrained(ILogger logger, string modelId, string trigger, int kbExamples, int labelled, string reason);
}
