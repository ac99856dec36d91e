namespace BotEngine.Nlu.Tests;

public class OutOfScopeTests
{
    private static List<TrainingExample> WithOosExamples()
    {
        var examples = TinyData.Examples();
        string[] oos = ["what is the weather on mars", "tell me a joke", "who won the football game", "play some jazz music",
            "какая погода на марсе", "расскажи анекдот", "кто выиграл матч", "включи музыку"];
        examples.AddRange(oos.Select(t => new TrainingExample(t, "oos")));
        return examples;
    }

    [Fact]
    public void A_trained_oos_class_marks_messages_out_of_scope_and_stays_out_of_top()
    {
        var examples = WithOosExamples();
        var model = new IntentTrainer().Train(examples);
        var p = model.Predict("tell me a funny joke");
        Assert.True(p.IsOutOfScope);
        Assert.DoesNotContain(p.Top, s => s.Intent == "oos");
        Assert.False(model.Predict("where is my order").IsOutOfScope);
    }

    [Fact]
    public void Oos_traffic_share_weights_the_held_out_oos_examples_in_calibration()
    {
        var examples = WithOosExamples();
        var none = new IntentTrainer(new NluOptions { OosTrafficShare = 0 }).Train(examples);
        var half = new IntentTrainer(new NluOptions { OosTrafficShare = 0.5 }).Train(examples);
        // the same models (calibration does not touch training), only the temperature differs
        Assert.Equal(none.Metadata.Metrics["svm_mix"], half.Metadata.Metrics["svm_mix"]);
        Assert.NotEqual(none.Temperature, half.Temperature);
        Assert.Equal(none.Predict("where is my order").Best!.Intent, half.Predict("where is my order").Best!.Intent);
    }

    [Fact]
    public void A_fixed_threshold_rejects_low_confidence()
    {
        var model = new IntentTrainer(new NluOptions { OosThreshold = 0.999 }).Train(TinyData.Examples());
        Assert.True(model.Predict("qzxv wplk").IsOutOfScope);
        Assert.Equal(0.999, model.OosThreshold);
    }
}
