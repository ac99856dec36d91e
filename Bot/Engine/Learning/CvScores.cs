using System.Text.Json.Serialization;

namespace BotEngine.Engine.Learning;

/// <summary>
/// A model configuration's cross-validated scores on held-out examples, judged as the bot answers (an answer below
/// the confidence threshold counts as "not an intent"). Null where the folds held no such example. <see cref="Intents"/>
/// is each intent's F1 (reported as deltas, <see cref="PromotionGate.Deltas"/>, not stored twice).
/// </summary>
public sealed record CvScores(double? InScopeAccuracy, double? KbAccuracy, double? LabelAccuracy, double? OosRecall, int Evaluated)
{
    [JsonIgnore]
    public IReadOnlyDictionary<string, IntentF1> Intents { get; init; } = new Dictionary<string, IntentF1>(StringComparer.Ordinal);

    /// <summary>The most frequent wrong answers, for the model's report.</summary>
    [JsonIgnore]
    public IReadOnlyList<Confusion> Confusions { get; init; } = [];
}
