namespace BotEngine.Nlu.Encoders;

/// <summary>
/// A served encoder whose model is loaded at its first embedding, not before: its name, width and language cover are
/// known without the model, so an engine configured to choose the encoder (<c>auto</c>) pays nothing (90 MB of model,
/// 300 MB of ONNX session) until its knowledge base has English to embed.
/// </summary>
public sealed class DeferredSentenceEncoder : ISentenceEncoder
{
    public DeferredSentenceEncoder(string name)
    {
        Dimension = SentenceEncoders.DimensionOf(name);
        Name = name;
    }

    public string Name { get; }
    public int Dimension { get; }

    // both served encoders have English WordPiece vocabularies
    public bool Covers(IEnumerable<string> texts) => OnnxSentenceEncoder.MostlyLatin(texts);

    public void Encode(string text, Span<float> embedding) => SentenceEncoders.Shared(Name).Encode(text, embedding);

    public float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        SentenceEncoders.Shared(Name).EncodeBatch(texts, cancellationToken);
}
