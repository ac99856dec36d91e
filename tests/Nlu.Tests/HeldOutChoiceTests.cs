using BotEngine.Nlu.Encoders;

namespace BotEngine.Nlu.Tests;

public sealed class HeldOutChoiceTests
{
    [Fact]
    public void A_costlier_setting_ahead_by_less_than_one_standard_error_is_not_kept()
    {
        // snips' 2-fold figures: 98.84 plain, 98.85 with the encoder, over 13,084 held-out predictions (SE 0.09 points)
        Assert.Equal(0, HeldOutChoice.Pick([(0.9884, 13084, 0), (0.9885, 13084, 2)]));
    }

    [Fact]
    public void A_costlier_setting_ahead_by_more_is_kept()
    {
        // clinc150: 94.49 plain, 97.05 with the encoder (SE 0.13 points)
        Assert.Equal(1, HeldOutChoice.Pick([(0.9449, 15100, 0), (0.9705, 15100, 2)]));
        // few phrasings: 770 predictions, SE 1.5 points at 78 %
        Assert.Equal(0, HeldOutChoice.Pick([(0.7700, 770, 0), (0.7800, 770, 2)]));
        Assert.Equal(1, HeldOutChoice.Pick([(0.6545, 770, 0), (0.7584, 770, 2)]));
    }

    [Fact]
    public void Between_settings_of_one_cost_the_higher_accuracy_wins_however_small_the_gap()
    {
        // banking77 with 5 phrasings per intent: the encoder at weight 1 and 2 cost the same per message
        Assert.Equal(2, HeldOutChoice.Pick([(0.5273, 385, 0), (0.6312, 385, 2), (0.6494, 385, 2)]));
        // a cheaper setting within reach still wins over both
        Assert.Equal(0, HeldOutChoice.Pick([(0.9700, 1000, 0), (0.9650, 1000, 2), (0.9710, 1000, 2)]));
        // equal accuracy and cost: the first listed
        Assert.Equal(1, HeldOutChoice.Pick([(0.5, 100, 0), (0.9, 100, 2), (0.9, 100, 2)]));
    }

    [Fact]
    public void A_single_setting_or_a_cheaper_best_is_kept_as_it_is()
    {
        Assert.Equal(0, HeldOutChoice.Pick([(0.5, 10, 0)]));
        Assert.Equal(0, HeldOutChoice.Pick([(0.99, 100, 0), (0.90, 100, 2)]));
        Assert.Throws<ArgumentException>(() => HeldOutChoice.Pick([]));
    }

    [Fact]
    public void Cost_ranks_what_a_setting_computes_per_message()
    {
        Assert.Equal(0, HeldOutChoice.CostOf(new NluOptions()));
        Assert.Equal(2, HeldOutChoice.CostOf(new NluOptions { Encoder = new FakeEncoder() }));
    }

    private sealed class FakeEncoder : ISentenceEncoder
    {
        public string Name => "fake";
        public int Dimension => 1;
        public bool Covers(IEnumerable<string> texts) => true;
        public void Encode(string text, Span<float> embedding) => embedding[0] = 1;
        public float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => texts.Select(_ => new float[] { 1 }).ToArray();
    }
}
