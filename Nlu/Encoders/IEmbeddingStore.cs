namespace BotEngine.Nlu.Encoders;

/// <summary>
/// Durable embeddings per encoder, so a restarted process fills its <see cref="EmbeddingCache"/> without running the
/// encoder (the host keeps them in its database). Reading them needs no model.
/// </summary>
public interface IEmbeddingStore
{
    /// <summary>Every embedding stored for the encoder; rows that are not <paramref name="dimension"/> finite floats are left out.</summary>
    Task<IReadOnlyList<StoredEmbedding>> LoadAsync(string encoderName, int dimension, CancellationToken cancellationToken);

    /// <summary>Adds embeddings of the encoder; a key already stored keeps its row (the same text has the same vector).</summary>
    Task SaveAsync(string encoderName, IReadOnlyList<StoredEmbedding> embeddings, CancellationToken cancellationToken);
}
