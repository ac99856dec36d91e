namespace BotEngine.Nlu.Encoders;

/// <summary>
/// Maps a sentence to a dense unit-length vector in which paraphrases lie close together. Implementations are
/// thread-safe: the engine classifies messages of many dialogs at once with one shared encoder.
/// </summary>
public interface ISentenceEncoder
{
    /// <summary>Short name stored in model files and accepted by configuration (<c>minilm</c>).</summary>
    string Name { get; }

    /// <summary>Length of every embedding.</summary>
    int Dimension { get; }

    /// <summary>Whether the encoder's vocabulary covers the language of these texts (a Cyrillic text is split letter by letter).</summary>
    bool Covers(IEnumerable<string> texts);

    /// <summary>Writes the embedding of <paramref name="text"/> (L2 norm 1, or all zeros for an empty text).</summary>
    void Encode(string text, Span<float> embedding);

    /// <summary>Embeddings of many texts, in their order; faster per text than one at a time.</summary>
    float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
