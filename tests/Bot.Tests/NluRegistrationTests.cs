using BotEngine.Engine.Learning;
using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

public sealed class NluRegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-reg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The trainer of a KB of up to Nlu:MaxDenseIntents articles.</summary>
    private static IIntentTrainer Resolve(string? vectorsPath, string? use = null) => ResolveAll(vectorsPath, use).Dense;

    /// <param name="encoder">Nlu:Encoder; these tests of word vectors leave the encoder out unless they say otherwise.</param>
    private static IntentCountTrainer ResolveAll(string? vectorsPath, string? use = null, string? maxDense = null, string? encoder = "none")
    {
        var settings = new List<KeyValuePair<string, string?>>();
        if (encoder is not null)
        {
            settings.Add(new("Nlu:Encoder", encoder));
        }

        if (maxDense is not null)
        {
            settings.Add(new("Nlu:MaxDenseIntents", maxDense));
        }

        if (vectorsPath is not null)
        {
            settings.Add(new("Nlu:WordVectors", vectorsPath));
        }

        if (use is not null)
        {
            settings.Add(new("Nlu:WordVectorsUse", use));
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        // the embeddings' table is the engine's database, which these tests do without
        using var sp = new ServiceCollection().AddLogging().AddSingleton<IEmbeddingStore>(new NoStoredEmbeddings()).AddNlu(config).BuildServiceProvider();
        return Assert.IsType<IntentCountTrainer>(sp.GetRequiredService<IIntentTrainer>());
    }

    private string SavedVectors()
    {
        string source = Path.Combine(_dir, "glove.txt");
        File.WriteAllText(source, "hello 0.9 0.1\nbye 0.1 0.9\n");
        string path = Path.Combine(_dir, "en.vec");
        BotEngine.Nlu.Features.WordVectors.Import(source, 100).Save(path);
        return path;
    }

    [Fact]
    public void Configured_word_vectors_reach_a_trainer_that_chooses_by_held_out_accuracy()
    {
        var chooser = Assert.IsType<VectorChoosingTrainer>(Resolve(SavedVectors()));
        Assert.Equal(2, chooser.WithVectors.Options.WordVectors!.Count);
        Assert.Null(chooser.WithoutVectors.Options.WordVectors);
        Assert.Null(Assert.IsType<IntentTrainer>(Resolve(null)).Options.WordVectors);
    }

    [Fact]
    public void Thousands_of_intents_go_to_the_nearest_phrasing_model_from_the_configured_count()
    {
        var byDefault = ResolveAll(null);
        Assert.Equal(IntentCountTrainer.DefaultMaxDenseIntents, byDefault.MaxDenseIntents);
        Assert.IsType<NearestPhrasingTrainer>(byDefault.Many);
        var three = ResolveAll(null, maxDense: "3");
        Assert.Equal(3, three.MaxDenseIntents);
        string[] intents = ["card", "loan", "deposit", "mortgage"];
        var examples = intents.SelectMany(i => new[] { new TrainingExample($"about my {i}", i), new TrainingExample($"question on {i}", i) }).ToList();
        Assert.IsType<NearestPhrasingModel>(three.Train(examples));
        Assert.IsType<IntentModel>(three.Train(examples.Where(e => e.Intent != "mortgage").ToList()));
        var ex = Assert.Throws<InvalidOperationException>(() => ResolveAll(null, maxDense: "1"));
        Assert.Contains("Nlu:MaxDenseIntents", ex.Message);
    }

    [Fact]
    public void By_default_the_encoder_is_a_candidate_kept_by_held_out_accuracy_and_a_russian_kb_trains_without_it()
    {
        var stored = Assert.IsType<StoredEmbeddingsTrainer>(ResolveAll(null, encoder: null).Dense);
        var chooser = Assert.IsType<ChoosingTrainer>(stored.Inner);
        string[] intents = ["карта", "кредит", "вклад"];
        var examples = intents.SelectMany(i => Enumerable.Range(0, 6).Select(n => new TrainingExample($"вопрос {n} про {i} номер {n * 7}", i))).ToList();
        var model = Assert.IsType<IntentModel>(chooser.Train(examples));
        Assert.Null(model.Vectorizer.Encoder);
        Assert.Equal("n-grams", chooser.LastChoice);
        Assert.IsType<IntentTrainer>(ResolveAll(null, encoder: "none").Dense);
    }

    [Fact]
    public void Always_uses_the_vectors_without_comparing()
    {
        var trainer = Assert.IsType<IntentTrainer>(Resolve(SavedVectors(), "always"));
        Assert.NotNull(trainer.Options.WordVectors);
    }

    [Fact]
    public void An_unknown_use_fails_with_the_key_and_the_value()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Resolve(SavedVectors(), "sometimes"));
        Assert.Contains("Nlu:WordVectorsUse", ex.Message);
        Assert.Contains("sometimes", ex.Message);
    }

    private sealed class NoStoredEmbeddings : IEmbeddingStore
    {
        public Task<IReadOnlyList<StoredEmbedding>> LoadAsync(string encoderName, int dimension, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredEmbedding>>([]);

        public Task SaveAsync(string encoderName, IReadOnlyList<StoredEmbedding> embeddings, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public void A_path_that_names_no_file_fails_with_the_path()
    {
        string missing = Path.Combine(_dir, "nothing.vec");
        var ex = Assert.Throws<InvalidOperationException>(() => Resolve(missing));
        Assert.Contains("Nlu:WordVectors", ex.Message);
        Assert.Contains(missing, ex.Message);
    }
}
