namespace BotEngine.Nlu.Tests;

public sealed class HeldOutChoiceTests
{
    [Fact]
    public void A_costlier_setting_ahead_by_less_than_one_standard_error_is_not_kept()
    {
        // snips' 2-fold figures: 98.84 plain, 98.85 with the encoder, over 13,084 held-out predictions (SE 0.09 points)
        Assert.Equal(0, HeldOutChoice.Pick([(0.9884, 13084), (0.9885, 13084)]));
    }

    [Fact]
    public void A_costlier_setting_ahead_by_more_is_kept()
    {
        // clinc150: 94.49 plain, 97.05 with the encoder (SE 0.13 points)
        Assert.Equal(1, HeldOutChoice.Pick([(0.9449, 15100), (0.9705, 15100)]));
        // the cheapest of those within reach of the best, not the best itself
        Assert.Equal(1, HeldOutChoice.Pick([(0.9449, 15100), (0.9705, 15100), (0.9707, 15100)]));
    }

    [Fact]
    public void Few_held_out_predictions_make_a_wide_margin()
    {
        // 10 phrasings per intent: 770 predictions, SE 1.5 points at 78 %
        Assert.Equal(0, HeldOutChoice.Pick([(0.7700, 770), (0.7800, 770)]));
        Assert.Equal(1, HeldOutChoice.Pick([(0.7584, 770), (0.7844, 770)]));
    }

    [Fact]
    public void A_single_setting_or_a_cheaper_best_is_kept_as_it_is()
    {
        Assert.Equal(0, HeldOutChoice.Pick([(0.5, 10)]));
        Assert.Equal(0, HeldOutChoice.Pick([(0.99, 100), (0.90, 100)]));
        Assert.Throws<ArgumentException>(() => HeldOutChoice.Pick([]));
    }
}
