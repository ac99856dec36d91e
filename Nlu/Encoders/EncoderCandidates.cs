namespace BotEngine.Nlu.Encoders;

/// <summary>
/// The settings an "auto" encoder choice compares by held-out accuracy on the training examples: the encoder's group
/// at its configured weight and at twice that. The weight that suits an intent set depends on how many phrasings it
/// has: 2-fold held-out accuracy with MiniLM at weight 1 / 2 / 4 was banking77 92.38 / 92.57 / 92.26, clinc150 97.05 /
/// 97.07 / 96.73, snips 98.85 / 98.70 / 98.29 on the full train files, but banking77 75.84 / 78.44 / 78.83 and
/// clinc150 86.76 / 88.68 / 88.61 on 10 phrasings per intent (docs/benchmarks.md): with few phrasings the n-grams know
/// less and the embedding should count more. No single weight is best everywhere, so the examples at hand choose.
/// </summary>
public static class EncoderCandidates
{
    /// <summary>Multiplier of the configured encoder weight in the second candidate.</summary>
    public const float HeavierFactor = 2f;

    /// <summary>The candidates with the encoder, as configured first: both cost the same, and an exact tie keeps the first.</summary>
    public static IReadOnlyList<(string Name, NluOptions Options)> WithEncoder(NluOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var encoder = options.Encoder ?? throw new ArgumentException("the options name no sentence encoder", nameof(options));
        var heavier = options with { Features = options.Features with { EncoderWeight = options.Features.EncoderWeight * HeavierFactor } };
        return [(encoder.Name, options), ($"{encoder.Name} x{HeavierFactor:0}", heavier)];
    }
}
