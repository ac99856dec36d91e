using BotEngine.Nlu.Evaluation;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu.Tests;

public class CalibrationTests
{
    [Fact]
    public void Ece_is_zero_when_confidence_matches_accuracy_and_large_when_overconfident()
    {
        var conf = Enumerable.Repeat(0.75, 100).ToArray();
        var hit = Enumerable.Range(0, 100).Select(i => i % 4 != 0).ToArray();
        Assert.Equal(0, Metrics.Ece(conf, hit), 6);
        var over = Enumerable.Repeat(0.99, 100).ToArray();
        Assert.Equal(0.24, Metrics.Ece(over, hit), 6);
    }

    [Fact]
    public void Temperature_recovers_the_scale_of_generated_scores()
    {
        // labels drawn from softmax(scores / 0.5): the fitted temperature should be close to 0.5
        var rng = new Random(3);
        int n = 4000, k = 5;
        var scores = new float[n * k];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                scores[i * k + c] = (float)(rng.NextDouble() * 2);
            }

            var p = scores.AsSpan(i * k, k).ToArray();
            TemperatureScaling.Softmax(p, 0.5);
            double u = rng.NextDouble(), acc = 0;
            y[i] = k - 1;
            for (int c = 0; c < k; c++)
            {
                acc += p[c];
                if (u < acc)
                {
                    y[i] = c;
                    break;
                }
            }
        }

        Assert.InRange(TemperatureScaling.Fit(scores, y, k), 0.42, 0.58);
    }

    [Fact]
    public void Isotonic_map_is_monotone_and_pulls_overconfidence_down()
    {
        var rng = new Random(5);
        var conf = Enumerable.Range(0, 2000).Select(_ => 0.5 + 0.5 * rng.NextDouble()).ToArray();
        // true accuracy is only 0.8 x confidence
        var hit = conf.Select(c => rng.NextDouble() < 0.8 * c).ToArray();
        var map = IsotonicMap.Fit(conf, hit)!;
        Assert.NotNull(map);
        double prev = -1;
        for (double p = 0.5; p <= 1.0; p += 0.05)
        {
            double q = map.Apply(p);
            Assert.True(q >= prev - 1e-9);
            prev = q;
        }

        Assert.InRange(map.Apply(0.9), 0.62, 0.82);
    }

    [Fact]
    public void Weighted_ece_counts_an_item_as_often_as_its_weight()
    {
        // two items at confidence 0.9: one right, one wrong; weighting the wrong one 3x is four items, one right
        double[] conf = [0.9, 0.9];
        bool[] hit = [true, false];
        Assert.Equal(0.4, Metrics.Ece(conf, hit), 6);
        Assert.Equal(0.65, Metrics.Ece(conf, hit, [1f, 3f]), 6);
        double[] conf4 = [0.9, 0.9, 0.9, 0.9];
        bool[] hit4 = [true, false, false, false];
        Assert.Equal(Metrics.Ece(conf4, hit4), Metrics.Ece(conf, hit, [1f, 3f]), 6);
    }

    [Fact]
    public void Weighted_isotonic_map_follows_the_weighted_accuracy()
    {
        // every fifth item is wrong; weighting the wrong ones 4x halves the accuracy the map must reach
        var rng = new Random(7);
        var conf = Enumerable.Range(0, 4000).Select(_ => 0.85 + 0.1 * rng.NextDouble()).ToArray();
        var hit = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() >= 0.2).ToArray();
        var w = hit.Select(h => h ? 1f : 4f).ToArray();
        Assert.InRange(IsotonicMap.Fit(conf, hit)!.Apply(0.9), 0.72, 0.88);
        Assert.InRange(IsotonicMap.Fit(conf, hit, weights: w)!.Apply(0.9), 0.42, 0.58);
    }

    [Fact]
    public void Isotonic_map_does_not_trust_a_tiny_top_block()
    {
        // equal confidences: the pool-adjacent-violators pass can end on a few right answers; they must not set the top
        var conf = Enumerable.Repeat(0.9, 1000).ToArray();
        var hit = Enumerable.Range(0, 1000).Select(i => i % 5 != 0).ToArray();
        var map = IsotonicMap.Fit(conf, hit)!;
        Assert.InRange(map.Apply(0.9), 0.79, 0.81);
        Assert.InRange(map.Y[^1], 0.79, 0.81);
    }
}
