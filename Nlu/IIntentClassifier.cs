namespace BotEngine.Nlu;

/// <summary>Where a training example came from; the learning loop weighs sources differently.</summary>
public enum ExampleSource
{
    KbPhrasing,
    OperatorChoice,
    ManualLabel,
}

public sealed record TrainingExample(string Text, string Intent, ExampleSource Source = ExampleSource.KbPhrasing, float Weight = 1f);

public sealed record IntentScore(string Intent, double Confidence);

/// <summary>Top intents best first. <see cref="IsOutOfScope"/> is the classifier's own "I don't know".</summary>
public sealed record IntentPrediction(IReadOnlyList<IntentScore> Top, bool IsOutOfScope)
{
    public IntentScore? Best => Top.Count > 0 ? Top[0] : null;
}

/// <summary>A trained model. Implementations are immutable and safe to call from many threads.</summary>
public interface IIntentClassifier
{
    IntentPrediction Predict(string text, int topK = 3);
}

public interface IIntentTrainer
{
    IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default);
}
