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

    /// <summary>The shared encoder called <paramref name="name"/>; an unknown name is an <see cref="ArgumentException"/> naming the known ones.</summary>
    public static ISentenceEncoder Shared(string name)
    {
        if (!Names.Contains(name))
        {
            throw new ArgumentException($"unknown sentence encoder '{name}' (known: {string.Join(", ", Names)})", nameof(name));
        }

        return Instances.GetOrAdd(name, n => new Lazy<ISentenceEncoder>(() => Create(n))).Value;
    }

    private static ISentenceEncoder Create(string name) => name switch
    {
        MiniLm => OnnxSentenceEncoder.MiniLm(),
        ArcticXs => OnnxSentenceEncoder.ArcticXs(),
        _ => throw new ArgumentException($"unknown sentence encoder '{name}'", nameof(name)),
    };
}
