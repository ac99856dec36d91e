namespace BotEngine.Nlu;

/// <summary>
/// Trains one model per candidate setting and keeps the one with the highest held-out accuracy on the training
/// examples' own folds (<c>cv_accuracy</c>); on a tie the earlier candidate wins, so list the cheaper one first.
/// The test data plays no part: a setting that wins on one intent set loses on another (the sentence encoder
/// gains on clinc150, not on snips), and only the examples at hand can say which.
/// </summary>
public sealed class ChoosingTrainer : IIntentTrainer
{
    private readonly IReadOnlyList<(string Name, IntentTrainer Trainer)> _candidates;
    private readonly Action<string>? _report;

    public ChoosingTrainer(IReadOnlyList<(string Name, NluOptions Options)> candidates, Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("no candidate settings to choose from", nameof(candidates));
        }

        _candidates = candidates.Select(c => (c.Name, new IntentTrainer(c.Options))).ToArray();
        _report = report ?? candidates[0].Options.Log;
    }

    /// <summary>Name of the candidate the last <see cref="Train"/> kept.</summary>
    public string? LastChoice { get; private set; }

    IIntentClassifier IIntentTrainer.Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
        => Train(examples, cancellationToken);

    public IntentModel Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        IntentModel? best = null;
        string? bestName = null;
        double bestAccuracy = double.NegativeInfinity;
        var seen = new List<string>();
        foreach (var (name, trainer) in _candidates)
        {
            // an encoder the examples' language leaves out would train an n-gram model again (a Russian KB with MiniLM)
            if (best is not null && trainer.Options.Encoder is { } encoder && !IntentTrainer.UsesEncoder(encoder, examples))
            {
                continue;
            }

            var model = trainer.Train(examples, cancellationToken);
            // too few examples for held-out folds: nothing to compare, so the first candidate stands
            if (!model.Metadata.Metrics.TryGetValue("cv_accuracy", out double accuracy))
            {
                LastChoice = bestName ?? name;
                return best ?? model;
            }

            seen.Add($"{name} {accuracy:F4}");
            if (accuracy > bestAccuracy)
            {
                (best, bestName, bestAccuracy) = (model, name, accuracy);
            }
        }

        LastChoice = bestName;
        _report?.Invoke($"kept {bestName}: held-out accuracy {string.Join(", ", seen)}");
        return best!;
    }
}
