using System.Collections.Concurrent;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// One <see cref="EmbeddingCache"/> per encoder name. The engine uses <see cref="Shared"/>, so the classifier's
/// training and the knowledge base search embed a text once between them, and a reload or another engine in the
/// process reuses what was embedded. Getting a cache loads no model.
/// </summary>
public sealed class EmbeddingCaches
{
    private readonly ConcurrentDictionary<string, EmbeddingCache> _caches = new(StringComparer.Ordinal);

    /// <summary>The process's caches.</summary>
    public static EmbeddingCaches Shared { get; } = new();

    /// <summary>The cache of the encoder called <paramref name="encoderName"/>; an unknown name is an <see cref="ArgumentException"/>.</summary>
    public EmbeddingCache For(string encoderName)
    {
        ArgumentNullException.ThrowIfNull(encoderName);
        return _caches.GetOrAdd(encoderName, n => new EmbeddingCache(n, SentenceEncoders.DimensionOf(n)));
    }
}
