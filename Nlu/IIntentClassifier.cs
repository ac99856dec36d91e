namespace BotEngine.Nlu;

/// <summary>A trained model. Implementations are immutable and safe to call from many threads.</summary>
public interface IIntentClassifier
{
    IntentPrediction Predict(string text, int topK = 3);
}
