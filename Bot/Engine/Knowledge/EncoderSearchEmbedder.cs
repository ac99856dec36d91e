using System.Collections.Concurrent;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// A sentence encoder as the knowledge base search's embedder. The model is loaded when the first text is embedded,
/// so a knowledge base without English never loads it (300 MB). Embeddings of article texts are kept for the
/// process's life, per encoder, so a reload or another engine in the same process embeds only texts it has not seen.
/// </summary>
public sealed class EncoderSearchEmbedder(string name) : ISearchEmbedder
{
    private readonly Lazy<(ISentenceEncoder Encoder, EmbeddingCache Cache)> _model = new(() =>
    {
        var encoder = SentenceEncoders.Shared(name);
        return (encoder, new EmbeddingCache(encoder.Name, encoder.Dimension));
    });

    // arctic-embed is a retrieval model: its card asks for this prefix on queries (not on the texts searched).
    private const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    private static readonly ConcurrentDictionary<string, EncoderSearchEmbedder> Shared = new(StringComparer.Ordinal);

    /// <summary>The process's embedder for the encoder named (minilm, arctic), or null for none.</summary>
    public static EncoderSearchEmbedder? For(string encoderName) =>
        encoderName == "none"
            ? null
            : Shared.GetOrAdd(encoderName, n => SentenceEncoders.Names.Contains(n)
                ? new EncoderSearchEmbedder(n)
                : throw new ArgumentException($"unknown sentence encoder '{n}' (known: {string.Join(", ", SentenceEncoders.Names)})", nameof(encoderName)));

    public string Name => name;

    // The scales differ. MiniLM: the demo KB's labelled queries reach a median best similarity of 0.77, and 9 of 10
    // unrelated queries stay under 0.3 (nlu kb-search). Arctic's similarities are compressed (unrelated 0.45-0.65,
    // labelled from 0.57), so no floor separates them: it keeps little more than nonsense out.
    public double MinSimilarity => name == SentenceEncoders.ArcticXs ? 0.45 : 0.35;

    // both served encoders have English vocabularies
    public bool Covers(string text) => OnnxSentenceEncoder.MostlyLatin([text]);

    public float[] EmbedQuery(string query)
    {
        var encoder = _model.Value.Encoder;
        var embedding = new float[encoder.Dimension];
        encoder.Encode(name == SentenceEncoders.ArcticXs ? ArcticQueryPrefix + query : query, embedding);
        return embedding;
    }

    public float[][] EmbedTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        _model.Value.Cache.Embed(_model.Value.Encoder, texts, cancellationToken);
}
