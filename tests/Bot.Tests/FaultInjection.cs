using BotEngine.Nlu;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Makes chosen client texts throw inside the turn: the engine's intent trainer is wrapped so that its classifier
/// throws for a text while <see cref="Fails"/> says so. Counts the calls that failed, when, and how many ran at once.
/// </summary>
public sealed class FaultInjection
{
    private readonly Lock _gate = new();
    private int _running;

    /// <summary>Given the text and how many times it has failed so far: throw this time?</summary>
    public Func<string, int, bool> Fails { get; set; } = (_, _) => false;

    /// <summary>How long a failing call takes before it throws (to see whether two ran at once).</summary>
    public TimeSpan Hold { get; set; } = TimeSpan.Zero;

    public List<DateTime> FailedAt { get; } = [];
    public int MaxConcurrent { get; private set; }

    public int Failures
    {
        get
        {
            lock (_gate)
                return FailedAt.Count;
        }
    }

    /// <summary>The EngineHost configure hook that puts this fault into an engine (several engines may share one).</summary>
    public Action<WebApplicationBuilder> Into => builder =>
    {
        var original = builder.Services.Last(s => s.ServiceType == typeof(IIntentTrainer));
        builder.Services.Remove(original);
        builder.Services.AddSingleton<IIntentTrainer>(sp =>
        {
            var inner = (IIntentTrainer)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            return new FaultyTrainer(inner, this);
        });
    };

    private void MaybeFail(string text)
    {
        int failures;
        lock (_gate)
            failures = FailedAt.Count;
        if (!Fails(text, failures))
            return;
        lock (_gate)
            MaxConcurrent = Math.Max(MaxConcurrent, ++_running);
        try
        {
            if (Hold > TimeSpan.Zero)
                Thread.Sleep(Hold);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
                FailedAt.Add(DateTime.UtcNow);
            }
        }
        throw new InvalidOperationException("injected fault for '" + text + "'");
    }

    private sealed class FaultyTrainer(IIntentTrainer inner, FaultInjection fault) : IIntentTrainer
    {
        public IIntentClassifier Train(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken = default) =>
            new FaultyClassifier(inner.Train(examples, cancellationToken), fault);
    }

    private sealed class FaultyClassifier(IIntentClassifier inner, FaultInjection fault) : IIntentClassifier
    {
        public IntentPrediction Predict(string text, int topK = 3)
        {
            fault.MaybeFail(text);
            return inner.Predict(text, topK);
        }
    }
}
