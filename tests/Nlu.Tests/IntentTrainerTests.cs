namespace BotEngine.Nlu.Tests;

public class IntentTrainerTests
{
    private static readonly IntentModel Model = new IntentTrainer().Train(TinyData.Examples());

    [Theory]
    [InlineData("when do you open on sunday", "opening_hours")]
    [InlineData("где моя посылка", "delivery_status")]
    [InlineData("я забыл свой пароль", "change_password")]
    [InlineData("get me a refund", "refund")]
    [InlineData("оператора позовите пожалуйста", "talk_to_human")]
    public void Predicts_unseen_phrasings_in_both_languages(string text, string expected)
    {
        var p = Model.Predict(text);
        Assert.Equal(expected, p.Best!.Intent);
    }

    [Fact]
    public void Tolerates_typos_through_character_ngrams()
    {
        Assert.Equal("change_password", Model.Predict("how do i chnage my pasword").Best!.Intent);
        Assert.Equal("delivery_status", Model.Predict("гд мой заказз").Best!.Intent);
    }

    [Fact]
    public void Top_k_is_sorted_and_probabilities_are_a_distribution()
    {
        var p = Model.Predict("track my order", topK: 5);
        Assert.Equal(5, p.Top.Count);
        for (int i = 1; i < p.Top.Count; i++)
        {
            Assert.True(p.Top[i - 1].Confidence >= p.Top[i].Confidence);
        }

        Assert.InRange(p.Top.Sum(s => s.Confidence), 0.99, 1.01);
        Assert.Equal(TinyData.Intents.Length, p.Top.Select(s => s.Intent).Distinct().Count());
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var a = new IntentTrainer(new NluOptions { Seed = 7 }).Train(TinyData.Examples());
        var b = new IntentTrainer(new NluOptions { Seed = 7 }).Train(TinyData.Examples());
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Temperature, b.Temperature);
    }

    [Fact]
    public void Gibberish_gets_lower_confidence_than_a_clear_request()
    {
        double clear = Model.Predict("reset my password").Best!.Confidence;
        double noise = Model.Predict("qzxv wplk").Best!.Confidence;
        Assert.True(noise < clear, $"noise {noise} clear {clear}");
    }

    [Fact]
    public void Metadata_records_the_training_set()
    {
        Assert.Equal(TinyData.Examples().Count, Model.Metadata.TrainingExamples);
        Assert.Equal(IntentTrainer.HashExamples(TinyData.Examples()), Model.Metadata.TrainingSetHash);
        Assert.NotEqual(IntentTrainer.HashExamples(TinyData.Examples().Skip(1)), Model.Metadata.TrainingSetHash);
    }
}
