using BotEngine.Nlu.Features;
using BotEngine.Nlu.Serialization;

namespace BotEngine.Nlu.Tests;

public sealed class WordVectorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-vectors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // two made-up words that share no character n-gram with the phrasings, each near one intent's words in vector space
    private const string GloveText = """
        hello 0.9 0.1 0.0
        hi 0.8 0.2 0.1
        morning 0.7 0.0 0.2
        qzx 0.85 0.15 0.05
        goodbye 0.0 0.9 0.1
        bye 0.1 0.8 0.0
        later 0.2 0.7 0.1
        vkq 0.05 0.85 0.1
        friend 0.4 0.4 0.9
        Hello 9 9 9
        """;

    private static List<TrainingExample> Greetings() =>
    [
        new("hello there", "greet"), new("hi friend", "greet"), new("good morning", "greet"), new("hello hello", "greet"),
        new("goodbye now", "bye"), new("bye friend", "bye"), new("see you later", "bye"), new("goodbye goodbye", "bye"),
    ];

    private WordVectors Import(string text, string name = "v.txt")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return WordVectors.Import(path, maxWords: 1000);
    }

    [Fact]
    public void Text_import_keys_words_by_normalised_token_and_keeps_the_first_of_a_clash()
    {
        var v = Import(GloveText);
        Assert.Equal(3, v.Dimension);
        Assert.Equal(9, v.Count); // "Hello" normalises to "hello", which came first
        Span<float> mean = stackalloc float[3];
        Assert.True(v.Mean(["hello"], mean));
        Assert.Equal(0.9f, mean[0], 2);
        Assert.Equal(0.1f, mean[1], 2);
        Assert.False(v.Mean(["unknown", "words"], mean));
    }

    [Fact]
    public void A_vec_header_line_is_skipped_and_a_bad_number_is_refused()
    {
        var v = Import("2 3\nhello 1 0 0\nbye 0 1 0\n", "h.vec");
        Assert.Equal(2, v.Count);
        var ex = Assert.Throws<InvalidDataException>(() => Import("hello 1 zero 0\n", "bad.txt"));
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void Saved_vectors_load_back_and_a_truncated_file_is_refused()
    {
        var v = Import(GloveText);
        string path = Path.Combine(_dir, "v.bevec");
        v.Save(path);
        var back = WordVectors.Load(path);
        Assert.Equal(v.Words, back.Words);
        Assert.Equal(v.Values, back.Values);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        Assert.Throws<InvalidDataException>(() => WordVectors.Load(path));
    }

    [Fact]
    public void Vectors_let_the_model_place_words_its_phrasings_never_used()
    {
        var vectors = Import(GloveText);
        var with = new IntentTrainer(new NluOptions { WordVectors = vectors }).Train(Greetings());
        Assert.Equal("greet", with.Predict("qzx").Best!.Intent);
        Assert.Equal("bye", with.Predict("vkq").Best!.Intent);

        // without vectors the two unknown words carry nothing the model can tell apart
        var without = new IntentTrainer().Train(Greetings());
        Assert.Equal(without.Predict("qzx").Best!.Intent, without.Predict("vkq").Best!.Intent);
    }

    [Fact]
    public void A_model_file_carries_its_vectors()
    {
        var model = new IntentTrainer(new NluOptions { WordVectors = Import(GloveText) }).Train(Greetings());
        using var ms = new MemoryStream();
        ModelSerializer.Save(model, ms);
        ms.Position = 0;
        var loaded = ModelSerializer.Load(ms);
        Assert.NotNull(loaded.Vectorizer.Vectors);
        Assert.Equal(model.Vectorizer.Dimension, loaded.Vectorizer.Dimension);
        foreach (var text in new[] { "qzx", "vkq", "hello friend" })
        {
            Assert.Equal(model.Predict(text).Best!.Intent, loaded.Predict(text).Best!.Intent);
            Assert.Equal(model.Predict(text).Best!.Confidence, loaded.Predict(text).Best!.Confidence, 2);
        }
    }

    [Fact]
    public void Principal_components_keep_the_direction_the_words_spread_along()
    {
        // points spread along (1, 1, 0) with a little noise off it: one component keeps their order
        var rows = Enumerable.Range(0, 20)
            .Select(i => ($"w{i}", new float[] { i, i + (i % 2 == 0 ? 0.1f : -0.1f), (i % 3) * 0.05f }))
            .ToList();
        var projected = PrincipalComponents.Project(rows, 1);
        var values = projected.Select(p => p.Vector[0]).ToArray();
        bool increasing = values.Zip(values.Skip(1)).All(p => p.Second > p.First);
        bool decreasing = values.Zip(values.Skip(1)).All(p => p.Second < p.First);
        Assert.True(increasing || decreasing);
        // the points advance sqrt(2) per step along the line
        Assert.InRange(Math.Abs(values[^1] - values[0]) / (values.Length - 1), 1.35, 1.48);
    }
}
