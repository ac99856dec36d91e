namespace BotEngine.Nlu;

/// <summary>
/// Trains with and without the configured word vectors and keeps the vectors only when their held-out accuracy on
/// the training examples (<c>cv_accuracy</c>) is ahead by more than one standard error (<see cref="HeldOutChoice"/>).
/// Vectors help some intent sets and cost others (clinc150 gained, banking77 lost), and only the examples can say
/// which; short of a clear gain the model without them (smaller, faster) is kept.
/// Training takes twice as long.
/// </summary>
public sealed class VectorChoosingTrainer : IIntentTrainer
{
    /// <param name="options">Training options; they must name the word vectors.</param>
    /// <param name="report">Gets one line per training saying which model was kept and why (default: <c>options.Log</c>).</param>
    public VectorChoosingTrainer(NluOptions options, Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WordVectors is null)
        {
            throw new ArgumentException("the options name no word vectors to choose about", nameof(options));
        }

        _report = report ?? options.Log;
        WithVectors = new IntentTrainer(options);
        WithoutVectors = new IntentTrainer(options with { WordVectors = null });
    }

    private readonly Action<string>? _report;

    public IntentTrainer WithVectors { get; }
    public IntentTrainer WithoutVectors { get; }

    IIntentClassifier IIntentTrainer.Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
        => Train(examples, cancellationToken);

    public IntentModel Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        var plain = WithoutVectors.Train(examples, cancellationToken);
        var vectored = WithVectors.Train(examples, cancellationToken);
        // too few examples for held-out folds: nothing to compare, so the configuration decides
        if (!HeldOutChoice.TryScore(plain, out var a) || !HeldOutChoice.TryScore(vectored, out var b))
        {
            return vectored;
        }

        var chosen = HeldOutChoice.Pick([(a.Accuracy, a.Count, HeldOutChoice.CostOf(WithoutVectors.Options)), (b.Accuracy, b.Count, HeldOutChoice.CostOf(WithVectors.Options))]) == 1
            ? vectored
            : plain;
        _report?.Invoke(
            $"word vectors {(ReferenceEquals(chosen, vectored) ? "kept" : "left out")}: held-out accuracy {b.Accuracy:F4} with, {a.Accuracy:F4} without");
        return chosen;
    }
}
