using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// A sentence encoder as the knowledge base search's embedder. The model is loaded when the first text is embedded,
/// so a knowledge base without English never loads it (300 MB). Article texts are embedded through the process's cache
/// of that encoder (<see cref="EmbeddingCaches"/>), which the classifier's training shares and the engine keeps in its
/// database, so a reload, a restart or a phrasing the classifier has embedded costs nothing more.
/// </summary>
public sealed class EncoderSearchEmbedder : ISearchEmbedder
{
    // arctic-embed is a retrieval model: its card asks for this prefix on queries (not on the texts searched).
    private const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    private readonly DeferredSentenceEncoder _encoder;

    /// <param name="cache">The cache of the encoder to use: its name says which.</param>
    public EncoderSearchEmbedder(EmbeddingCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Cache = cache;
        _encoder = new DeferredSentenceEncoder(cache.EncoderName);
    }

    /// <summary>The embedder for the encoder named (minilm, arctic) over its cache in <paramref name="caches"/> (default: the process's), or null for none.</summary>
    public static EncoderSearchEmbedder? For(string encoderName, EmbeddingCaches? caches = null) =>
        encoderName == "none" ? null : new EncoderSearchEmbedder((caches ?? EmbeddingCaches.Shared).For(encoderName));

    public string Name => Cache.EncoderName;

    /// <summary>Where article texts' embeddings are kept (queries are not cached: each is new).</summary>
    public EmbeddingCache Cache { get; }

    // The scales differ. MiniLM: the demo KB's labelled queries reach a median best similarity of 0.77, and 9 of 10
    // unrelated queries stay under 0.3 (nlu kb-search). Arctic's similarities are compressed (unrelated 0.45-0.65,
    // labelled from 0.57), so no floor separates them: it keeps little more than nonsense out.
    public double MinSimilarity => Name == SentenceEncoders.ArcticXs ? 0.45 : 0.35;

    public bool Covers(string text) => _encoder.Covers([text]);

    public float[] EmbedQuery(string query)
    {
        var embedding = new float[_encoder.Dimension];
        _encoder.Encode(Name == SentenceEncoders.ArcticXs ? ArcticQueryPrefix + query : query, embedding);
        return embedding;
    }

    public float[][] EmbedTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Cache.Embed(_encoder, texts, cancellationToken);
}
