namespace BotEngine.Nlu;

/// <summary>Top intents best first. <see cref="IsOutOfScope"/> is the classifier's own "I don't know".</summary>
public sealed record IntentPrediction(IReadOnlyList<IntentScore> Top, bool IsOutOfScope)
{
    public IntentScore? Best => Top.Count > 0 ? Top[0] : null;
}
