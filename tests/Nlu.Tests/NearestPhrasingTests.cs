namespace BotEngine.Nlu.Tests;

public class NearestPhrasingTests
{
    private static readonly NearestPhrasingModel Model = new NearestPhrasingTrainer().Train(TinyData.Examples());

    [Theory]
    [InlineData("when do you open on sunday", "opening_hours")]
    [InlineData("где моя посылка", "delivery_status")]
    [InlineData("get me a refund", "refund")]
    public void Answers_unseen_phrasings_with_the_intent_of_the_nearest_one(string text, string expected)
    {
        Assert.Equal(expected, Model.Predict(text).Best!.Intent);
    }

    [Fact]
    public void Confidences_are_best_first_and_an_exact_phrasing_is_confident()
    {
        var example = TinyData.Examples()[0];
        var p = Model.Predict(example.Text, topK: 3);
        Assert.Equal(example.Intent, p.Best!.Intent);
        Assert.True(p.Best.Confidence > 0.5, $"confidence {p.Best.Confidence}");
        Assert.True(p.Top.Zip(p.Top.Skip(1)).All(t => t.First.Confidence >= t.Second.Confidence));
        Assert.True(p.Top.Sum(t => t.Confidence) <= 1.0001);
        Assert.InRange(Model.Temperature, 0.002, 1);
    }

    [Fact]
    public void A_message_with_no_known_ngram_is_out_of_scope()
    {
        var p = Model.Predict("ẞẞẞ ꙮꙮꙮ");
        Assert.True(p.IsOutOfScope);
        Assert.Empty(p.Top);
    }

    [Fact]
    public void The_out_of_scope_label_wins_as_its_own_class_and_is_never_in_the_top()
    {
        var examples = TinyData.Examples().Concat([new TrainingExample("tell me a joke about cats", "oos"), new TrainingExample("a joke about dogs please", "oos")]).ToList();
        var model = new NearestPhrasingTrainer().Train(examples);
        var p = model.Predict("tell me a joke about cats and dogs", topK: 5);
        Assert.True(p.IsOutOfScope);
        Assert.DoesNotContain(p.Top, t => t.Intent == "oos");
    }

    [Fact]
    public void Thousands_of_intents_with_a_few_phrasings_each_train_and_answer()
    {
        // a generated KB: each intent has a word of its own (its "product") in five phrasings
        var examples = new List<TrainingExample>();
        for (int i = 0; i < 1500; i++)
        {
            string product = ProductName(i);
            examples.AddRange(new[] { "how to open", "where is my", "how much is", "problem with", "cancel" }.Select(v => new TrainingExample($"{v} {product}", $"a{i}")));
        }

        var model = new NearestPhrasingTrainer().Train(examples);
        Assert.Equal(1500, model.Labels.Length);
        int right = Enumerable.Range(0, 150).Count(i => model.Predict($"i want to open {ProductName(i * 10)}").Best?.Intent == $"a{i * 10}");
        Assert.True(right >= 145, $"{right} of 150");
    }

    private static string ProductName(int i)
    {
        string[] syllables = ["ka", "lo", "mi", "re", "su", "ta", "ve", "no", "pi", "zu", "ga", "de", "fo", "hu", "ji", "xa"];
        return string.Concat(Enumerable.Range(0, 3).Select(k => syllables[(i >> (4 * k)) & 15])) + syllables[i % 7];
    }
}
