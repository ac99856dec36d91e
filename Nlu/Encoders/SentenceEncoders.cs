using System.Collections.Concurrent;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// The encoders this build can run, by the name a model file or configuration uses. One instance per name per
/// process: a model holds 90 MB and an ONNX session, and every loaded intent model shares it.
/// </summary>
public static class SentenceEncoders
{
    public const string MiniLm = "minilm";
    public const string ArcticXs = "arctic";

    private static readonly ConcurrentDictionary<string, Lazy<ISentenceEncoder>> Instances = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [MiniLm, ArcticXs];

    /// <summary>
    /// The length of the named encoder's embeddings, known without loading its model (a cache read from a store must
    /// not load 90 MB); loading checks that the model agrees. An unknown name is an <see cref="ArgumentException"/>.
    /// </summary>
    public static int DimensionOf(string name) => name switch
    {
        MiniLm or ArcticXs => 384,
        _ => throw new ArgumentException($"unknown sentence encoder '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>The shared encoder called <paramref name="name"/>; an unknown name is an <see cref="ArgumentException"/> naming the known ones.</summary>
    public static ISentenceEncoder Shared(string name)
    {
        if (!Names.Contains(name))
        {
            throw new ArgumentException($"unknown sentence encoder '{name}' (known: {string.Join(", ", Names)})", nameof(name));
        }

        return Instances.GetOrAdd(name, n => new Lazy<ISentenceEncoder>(() => Create(n))).Value;
    }

    private static ISentenceEncoder Create(string name)
    {
        OnnxSentenceEncoder encoder = name switch
        {
            MiniLm => OnnxSentenceEncoder.MiniLm(),
            ArcticXs => OnnxSentenceEncoder.ArcticXs(),
            _ => throw new ArgumentException($"unknown sentence encoder '{name}'", nameof(name)),
        };
        if (encoder.Dimension != DimensionOf(name))
        {
            encoder.Dispose();
            throw new InvalidDataException($"sentence encoder {name}: the model gives {encoder.Dimension} dimensions, not {DimensionOf(name)}");
        }

        return encoder;
    }
}
