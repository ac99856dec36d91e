namespace BotEngine.Nlu.Evaluation;

/// <summary>One test message and what the model made of it; ArgMax* describe the full distribution (for calibration).</summary>
public sealed record EvaluatedItem(
    string Text, string Gold, string Predicted, string TopLabel, double TopConfidence, bool IsOutOfScope, double ArgMaxConfidence, bool ArgMaxCorrect,
    bool OosClassWins);
