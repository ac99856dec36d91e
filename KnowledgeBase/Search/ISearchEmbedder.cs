namespace BotEngine.KnowledgeBase;

/// <summary>
/// Turns texts into unit-length vectors in which paraphrases lie close, for <see cref="SemanticKbIndex"/>. The host
/// adapts a sentence encoder to it, so this library needs no model runtime. Implementations are thread-safe.
/// </summary>
public interface ISearchEmbedder
{
    /// <summary>Cosine similarity below which a query and a text are taken as unrelated (each encoder has its own scale).</summary>
    double MinSimilarity { get; }

    /// <summary>Whether the vocabulary covers this text's language (an English encoder splits Russian into letters).</summary>
    bool Covers(string text);

    /// <summary>The embedding of a search query (a retrieval model may mark it as a query).</summary>
    float[] EmbedQuery(string query);

    /// <summary>Embeddings of article texts (titles and phrasings), in their order.</summary>
    float[][] EmbedTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
