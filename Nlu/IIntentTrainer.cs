namespace BotEngine.Nlu;

public interface IIntentTrainer
{
    IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default);
}
