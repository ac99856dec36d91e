using System.Text.Json;
using BotEngine.Engine.Knowledge;
using BotEngine.Nlu;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Learning;

/// <summary>
/// One training run (the nightly job, or one started through the API): trains a candidate on the KB phrasings plus
/// every stored example but the frozen evaluation set, compares it with the live configuration by cross-validation on
/// the same folds and on the evaluation set, stores it in the registry with its metrics, and promotes it (swapping the
/// live classifier) only if the gate lets it.
/// </summary>
public sealed partial class ModelTraining(
    KnowledgeRuntime knowledge,
    IIntentTrainer trainer,
    TrainingExampleStore examples,
    ModelRegistryStore registry,
    IOptions<LearningOptions> options,
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
        var o = options.Value;
        var stored = await examples.UpToAsync(long.MaxValue, cancellationToken);
        // New manual labels join the frozen evaluation set or the training side, once and for good.
        var decisions = EvaluationSet.Decide(stored, o.EvaluationShare);
        if (decisions.Count > 0)
        {
            await examples.DecideHeldOutAsync(decisions, cancellationToken);
            stored = await examples.UpToAsync(long.MaxValue, cancellationToken); // another node may have decided some first
        }
        var through = stored.Count == 0 ? 0 : stored.Max(e => e.CreatedAt);
        var candidate = TrainingSet.Build(document, stored);
        var current = TrainingSet.Build(document, live.ModelId is null ? [] : stored.Where(e => e.CreatedAt <= live.ExamplesThrough));
        var heldOut = EvaluationSet.Examples(document, stored);
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
            var minConfidence = knowledge.MinConfidenceOf(document);
            var (candidateScores, currentScores) = await Task.Run(() => CrossValidation.Compare(
                trainer, candidate, current, o.CrossValidationFolds, minConfidence, cancellationToken), cancellationToken);
            classifier = await Task.Run(() => trainer.Train(candidate.Examples, cancellationToken), cancellationToken);
            // The frozen evaluation set: both configurations trained in full (neither saw it) answer it.
            CvScores? evaluated = null, evaluatedLive = null;
            if (heldOut.Count > 0 && current.HasTwoIntents)
            {
                var currentClassifier = await Task.Run(() => trainer.Train(current.Examples, cancellationToken), cancellationToken);
                (evaluated, evaluatedLive) = EvaluationSet.Score(classifier, currentClassifier, heldOut, minConfidence, cancellationToken);
            }
            var (promote, reason) = PromotionGate.Decide(candidateScores, currentScores, o, evaluated, evaluatedLive);
            // Per intent: what got better or worse against the live model (worst first), and the most frequent
            // confusions: the registry's list and the model's report.
            row.Metrics = JsonSerializer.Serialize(new
            {
                folds = o.CrossValidationFolds,
                gate = new { o.MaxAccuracyDrop, o.MaxOosRecallDrop, o.MaxIntentF1Drop, o.MinIntentSupport },
                candidate = candidateScores, live = currentScores,
                intents = PromotionGate.Deltas(candidateScores, currentScores), confusions = candidateScores.Confusions,
                evaluation = evaluated is null || evaluatedLive is null ? null : new
                {
                    size = heldOut.Count, candidate = evaluated, live = evaluatedLive,
                    intents = PromotionGate.Deltas(evaluated, evaluatedLive), confusions = evaluated.Confusions,
                },
            }, MetricsJson);
            row.Reason = reason;
            if (promote)
                row.Status = StoredModel.Promoted;
        }
        row.CreatedAt = time.NowMicros();
        if (row.Status == StoredModel.Promoted)
            row.PromotedAt = row.CreatedAt;
        await registry.AddAsync(row, classifier is null ? null : ModelBytes.From(classifier), cancellationToken);
        if (row.Status == StoredModel.Promoted)
            knowledge.Promote(new LiveModel(row.Id, row.ExamplesThrough), classifier!, revision);
        LogTrained(logger, row.Id, trigger, row.KbExamples, row.LabelledExamples, heldOut.Count, row.Reason);
        return row;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Model {ModelId} trained ({Trigger}) on {KbExamples} KB phrasings and {Labelled} labels, {HeldOut} held out: {Reason}")]
    private static partial void LogTrained(ILogger logger, string modelId, string trigger, int kbExamples, int labelled, int heldOut, string reason);
}
