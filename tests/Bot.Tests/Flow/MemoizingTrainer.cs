using System.Collections.Concurrent;
using BotEngine.Nlu;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// The real intent trainer, run once per distinct set of phrasings in this test process: every in-process engine starts
/// on the demo KB, and training it again for each test would be most of the test's time. The classifier is shared
/// read-only (the engine already predicts from many turn lanes at once).
/// </summary>
public sealed class MemoizingTrainer(IIntentTrainer trainer) : IIntentTrainer
{
    public static readonly MemoizingTrainer Shared = new(new IntentTrainer());

    private readonly ConcurrentDictionary<string, Lazy<IIntentClassifier>> _trained = new(StringComparer.Ordinal);

    public IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default)
    {
        var key = string.Join('\n', examples.Select(e => $"{e.Intent}\t{e.Source}\t{e.Weight}\t{e.Text}"));
        var lazy = _trained.GetOrAdd(key, _ => new Lazy<IIntentClassifier>(() => trainer.Train(examples, CancellationToken.None)));
        return lazy.Value;
    }
}
