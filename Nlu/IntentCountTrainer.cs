namespace BotEngine.Nlu;

/// <summary>
/// Chooses the model by the number of intents. Up to <see cref="MaxDenseIntents"/> the dense ensemble (SVM and
/// network), whose weights, held-out scores and training time grow with examples times intents: a knowledge base of
/// 2,000 articles took it 85 s and 0.7 GB, one of 10,000 (50,000 phrasings) did not finish in 26 minutes at 7.4 GB.
/// Above it <see cref="NearestPhrasingTrainer"/>, whose cost grows with the examples alone.
/// </summary>
public sealed class IntentCountTrainer(IIntentTrainer dense, IIntentTrainer many, int maxDenseIntents = IntentCountTrainer.DefaultMaxDenseIntents) : IIntentTrainer
{
    public const int DefaultMaxDenseIntents = 1000;

    public int MaxDenseIntents { get; } = maxDenseIntents;

    /// <summary>The trainer of up to <see cref="MaxDenseIntents"/> intents.</summary>
    public IIntentTrainer Dense { get; } = dense;

    /// <summary>The trainer of more intents.</summary>
    public IIntentTrainer Many { get; } = many;

    public IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        int intents = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Take(MaxDenseIntents + 1).Count();
        return (intents > MaxDenseIntents ? Many : Dense).Train(examples, cancellationToken);
    }
}
