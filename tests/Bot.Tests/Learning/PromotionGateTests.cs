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
}
