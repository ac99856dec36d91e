namespace BotEngine.Nlu;

/// <summary>
/// Trains one model per candidate setting and keeps, by held-out accuracy on the training examples' own folds
/// (<c>cv_accuracy</c>), the cheapest candidate within one standard error of the best (<see cref="HeldOutChoice"/>).
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
        var trained = new List<(string Name, NluOptions Options, IntentModel Model, (double Accuracy, int Count) Score)>();
        foreach (var (name, trainer) in _candidates)
        {
            // an encoder the examples' language leaves out would train an n-gram model again (a Russian KB with MiniLM)
            if (trained.Count > 0 && trainer.Options.Encoder is { } encoder && !IntentTrainer.UsesEncoder(encoder, examples))
            {
                continue;
            }

            var model = trainer.Train(examples, cancellationToken);
            // too few examples for held-out folds: nothing to compare, so the first candidate stands
            if (!HeldOutChoice.TryScore(model, out var score))
            {
                LastChoice = trained.Count > 0 ? trained[0].Name : name;
                return trained.Count > 0 ? trained[0].Model : model;
            }

            trained.Add((name, trainer.Options, model, score));
        }

        var kept = trained[HeldOutChoice.Pick(trained.Select(t => (t.Score.Accuracy, t.Score.Count, HeldOutChoice.CostOf(t.Options))).ToList())];
        LastChoice = kept.Name;
        _report?.Invoke($"kept {kept.Name}: held-out accuracy {string.Join(", ", trained.Select(t => $"{t.Name} {t.Score.Accuracy:F4}"))} (n={kept.Score.Count}; the cheapest within one standard error of the best, then the best of that cost)");
        return kept.Model;
    }
}
