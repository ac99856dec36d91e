using BotEngine.Engine.Learning;

namespace BotEngine.Bot.Tests.Learning;

public sealed class PromotionGateTests
{
    private static readonly LearningOptions Options = new() { MaxAccuracyDrop = 0.01, MaxOosRecallDrop = 0.05 };

    [Fact]
    public void A_candidate_within_the_margins_is_promoted()
    {
        var (promote, reason) = PromotionGate.Decide(new CvScores(0.905, 0.95, 0.80, 0.60, 100), new CvScores(0.91, 0.955, 0.50, 0.62, 100), Options);
        Assert.True(promote, reason);
        Assert.StartsWith("promoted:", reason);
    }

    [Theory]
    [InlineData(0.89, 0.95, 0.62, "in-scope accuracy")]
    [InlineData(0.91, 0.93, 0.62, "accuracy on KB phrasings")]
    [InlineData(0.91, 0.95, 0.50, "out-of-scope recall")]
    public void A_regression_beyond_a_margin_is_rejected_naming_it(double inScope, double kb, double oos, string named)
    {
        var (promote, reason) = PromotionGate.Decide(new CvScores(inScope, kb, null, oos, 100), new CvScores(0.91, 0.95, null, 0.62, 100), Options);
        Assert.False(promote);
        Assert.StartsWith("rejected:", reason);
        Assert.Contains(named, reason);
    }

    [Fact]
    public void A_metric_without_examples_on_either_side_does_not_decide()
    {
        var (promote, _) = PromotionGate.Decide(new CvScores(0.9, 0.9, null, null, 50), new CvScores(0.9, 0.9, 0.4, 0.9, 60), Options);
        Assert.True(promote);
    }

    [Fact]
    public void An_intent_with_enough_support_that_loses_more_f1_than_allowed_is_named_in_the_rejection()
    {
        var options = new LearningOptions { MaxAccuracyDrop = 0.05, MaxIntentF1Drop = 0.1, MinIntentSupport = 10 };
        var live = new CvScores(0.9, 0.9, null, null, 100) { Intents = Intents(("rates", 20, 0.95), ("hours", 20, 0.90), ("rare", 3, 1.0)) };
        // rates falls by 0.3; rare falls more but has too few examples to judge; hours improves.
        var candidate = new CvScores(0.9, 0.9, null, null, 100) { Intents = Intents(("rates", 20, 0.65), ("hours", 20, 0.99), ("rare", 3, 0.0)) };

        var (promote, reason) = PromotionGate.Decide(candidate, live, options);
        Assert.False(promote);
        Assert.Contains("'rates' (0.95 to 0.65, 20 examples)", reason);
        Assert.DoesNotContain("rare", reason);

        var deltas = PromotionGate.Deltas(candidate, live);
        Assert.Equal(["rare", "rates", "hours"], deltas.Select(d => d.Intent));
        Assert.Equal(0.09, deltas[^1].Delta, 4);

        // The same candidate against a live model that was as bad on rates passes.
        var (passes, _) = PromotionGate.Decide(candidate, live with { Intents = Intents(("rates", 20, 0.70), ("hours", 20, 0.90)) }, options);
        Assert.True(passes);
    }

    private static Dictionary<string, IntentF1> Intents(params (string Intent, int Support, double F1)[] intents) =>
        intents.ToDictionary(i => i.Intent, i => new IntentF1(i.Support, i.F1));
}
