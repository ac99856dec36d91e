using BotEngine.Nlu.Features;

namespace BotEngine.Nlu.Tests;

public sealed class VectorChoosingTrainerTests
{
    // every example has a word of its own, drawn from one alphabet for both intents: its letters say nothing about
    // the intent, so only a vector that points the way of its intent can place it. Otherwise the vectors lean at
    // random and each intent has a keyword of its own, which the n-grams learn without help.
    private static (List<TrainingExample> Examples, WordVectors Vectors) UniqueWords(bool vectorsFollowIntent)
    {
        var rng = new Random(3);
        var examples = new List<TrainingExample>();
        var rows = new List<(string, float[])>();
        for (int i = 0; i < 40; i++)
        {
            bool greet = i % 2 == 0;
            string word = new([.. Enumerable.Range(0, 7).Select(_ => (char)('a' + rng.Next(26)))]);
            string keyword = vectorsFollowIntent ? "please" : greet ? "hello" : "goodbye";
            examples.Add(new TrainingExample($"{keyword} {word}", greet ? "greet" : "bye"));
            float lean = vectorsFollowIntent ? (greet ? 1f : -1f) : (float)(rng.NextDouble() * 2 - 1);
            rows.Add((word, [lean, (float)rng.NextDouble() * 0.2f, 0.5f]));
        }

        return (examples, WordVectors.FromRows(rows, maxWords: 1000));
    }

    private readonly List<string> _reports = [];

    private IntentModel Train(bool vectorsFollowIntent)
    {
        var (examples, vectors) = UniqueWords(vectorsFollowIntent);
        return new VectorChoosingTrainer(new NluOptions { WordVectors = vectors }, _reports.Add).Train(examples);
    }

    [Fact]
    public void Keeps_the_vectors_when_they_raise_held_out_accuracy()
    {
        var model = Train(vectorsFollowIntent: true);
        Assert.NotNull(model.Vectorizer.Vectors);
        Assert.True(model.Metadata.Metrics["cv_accuracy"] > 0.9);
        Assert.StartsWith("word vectors kept", Assert.Single(_reports));
    }

    [Fact]
    public void Leaves_the_vectors_out_when_they_do_not()
    {
        var model = Train(vectorsFollowIntent: false);
        Assert.Null(model.Vectorizer.Vectors);
        Assert.StartsWith("word vectors left out", Assert.Single(_reports));
    }

    [Fact]
    public void Refuses_options_without_vectors()
    {
        Assert.Throws<ArgumentException>(() => new VectorChoosingTrainer(new NluOptions()));
    }
}
