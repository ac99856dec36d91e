using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Engine.Learning;

/// <summary>
/// A trainer whose options embed with <paramref name="cache"/>: before a training the cache is filled from the store
/// (the first time), after it the new vectors are written. Every training of the engine goes through here, whoever
/// starts it (the start, a KB edit, the nightly job, the quality hints).
/// </summary>
public sealed class StoredEmbeddingsTrainer(IIntentTrainer inner, EmbeddingCache cache, StoredEmbeddings stored) : IIntentTrainer
{
    public IIntentTrainer Inner => inner;

    public IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        // Training is synchronous and takes seconds on a thread of its own: waiting here for the database costs nothing
        // a caller would notice, and no synchronization context is there to deadlock.
        stored.LoadAsync(cache, cancellationToken).GetAwaiter().GetResult();
        var classifier = inner.Train(examples, cancellationToken);
        try
        {
            stored.SaveAsync(cache, cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // the model is trained: the vectors stay in the cache for the next write
        }
        return classifier;
    }
}
