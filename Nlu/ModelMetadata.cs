namespace BotEngine.Nlu;

/// <summary>What a model file says about itself.</summary>
public sealed record ModelMetadata
{
    public int FormatVersion { get; init; } = 1;
    public string TrainingSetHash { get; init; } = "";
    public int TrainingExamples { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string Algorithm { get; init; } = "";
    public double TrainSeconds { get; init; }

    /// <summary>Cross-validated metrics from training (e.g. cv_accuracy, cv_ece), when folds were run.</summary>
    public Dictionary<string, double> Metrics { get; init; } = new();
}
