namespace BotEngine.Nlu.Evaluation;

public sealed record EvaluationResult
{
    public required IReadOnlyList<EvaluatedItem> Items { get; init; }
    public required IReadOnlyList<IntentStats> PerIntent { get; init; }
    public double AccuracyInScope { get; init; }
    public double AccuracyAll { get; init; }
    public double MacroF1 { get; init; }
    public double? OosRecall { get; init; }
    public double Ece { get; init; }
    public double PredictUsP50 { get; init; }
    public double PredictUsP99 { get; init; }
}
