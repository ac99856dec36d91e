namespace BotEngine.Engine.Learning;

/// <summary>
/// A model configuration's cross-validated scores on held-out examples, judged as the bot answers (an answer below
/// the confidence threshold counts as "not an intent"). Null where the folds held no such example.
/// </summary>
public sealed record CvScores(double? InScopeAccuracy, double? KbAccuracy, double? LabelAccuracy, double? OosRecall, int Evaluated);
