using BotEngine.Nlu;

namespace BotEngine.Nlu.Tests;

public class SwappableIntentClassifierTests
{
    private sealed class Fixed(string intent) : IIntentClassifier
    {
        public IntentPrediction Predict(string text, int topK = 3) => new([new IntentScore(intent, 1)], false);
    }

    [Fact]
    public void Swap_changes_answers_and_returns_the_old_model()
    {
        var a = new Fixed("a");
        var s = new SwappableIntentClassifier(a);
        Assert.Equal("a", s.Predict("x").Best!.Intent);
        var old = s.Swap(new Fixed("b"));
        Assert.Same(a, old);
        Assert.Equal("b", s.Predict("x").Best!.Intent);
        Assert.Equal(1, s.Version);
    }

    [Fact]
    public async Task Requests_never_fail_while_models_are_swapped()
    {
        var m1 = new IntentTrainer().Train(TinyData.Examples());
        var m2 = new IntentTrainer(new NluOptions { Seed = 2 }).Train(TinyData.Examples());
        var s = new SwappableIntentClassifier(m1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        int answered = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!cts.IsCancellationRequested)
            {
                var p = s.Predict("where is my order");
                Assert.Equal("delivery_status", p.Best!.Intent);
                Interlocked.Increment(ref answered);
            }
        })).ToArray();
        var swapper = Task.Run(() =>
        {
            for (int i = 0; i < 200 && !cts.IsCancellationRequested; i++)
            {
                s.Swap(i % 2 == 0 ? m2 : m1);
                Thread.Sleep(1);
            }
        });
        await Task.WhenAll(readers.Append(swapper)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(answered > 100);
        Assert.True(s.Version > 10);
    }
}
