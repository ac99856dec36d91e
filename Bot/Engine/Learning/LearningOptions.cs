namespace BotEngine.Engine.Learning;

/// <summary>The learning loop's settings (section <c>Learning</c>).</summary>
public sealed class LearningOptions
{
    /// <summary>Folds of the cross-validation that compares a candidate model with the live one (2-10).</summary>
    public int CrossValidationFolds { get; set; } = 3;

    /// <summary>How far the candidate's cross-validated in-scope accuracy (all examples, and KB phrasings alone) may fall below the live model's.</summary>
    public double MaxAccuracyDrop { get; set; } = 0.01;

    /// <summary>How far its out-of-scope recall ("not an intent" examples) may fall.</summary>
    public double MaxOosRecallDrop { get; set; } = 0.05;

    /// <summary>
    /// No intent with at least <see cref="MinIntentSupport"/> held-out examples may lose more F1 than this. Below 30
    /// examples one or two answers that change move F1 by 0.1 (the demo KB has about 12 phrasings an article), so
    /// smaller intents are left to the accuracy checks.
    /// </summary>
    public double MaxIntentF1Drop { get; set; } = 0.1;
    public int MinIntentSupport { get; set; } = 30;

    /// <summary>
    /// Share of each intent's manual labels (distinct texts) held back as the frozen evaluation set, which no model trains
    /// on and the gate scores both models on (0 keeps none back; at most 0.5).
    /// </summary>
    public double EvaluationShare { get; set; } = 0.2;

    /// <summary>Weight of a manual label and of an operator's choice (a KB phrasing weighs 1).</summary>
    public double ManualLabelWeight { get; set; } = 1;
    public double OperatorChoiceWeight { get; set; } = 1;
    /// <summary>Weight of a client's pick in a "did you mean" question.</summary>
    public double ClientPickWeight { get; set; } = 1;

    /// <summary>How many of the newest misses the labelling inbox groups and ranks at most.</summary>
    public int InboxScanLimit { get; set; } = 5000;

    public bool IsValid() =>
        CrossValidationFolds is >= 2 and <= 10 && MaxAccuracyDrop is >= 0 and <= 1 && MaxOosRecallDrop is >= 0 and <= 1
        && MaxIntentF1Drop is >= 0 and <= 1 && MinIntentSupport > 0 && EvaluationShare is >= 0 and <= 0.5
        && ManualLabelWeight > 0 && OperatorChoiceWeight > 0 && ClientPickWeight > 0 && InboxScanLimit > 0;
}
