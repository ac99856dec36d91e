using BotEngine.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

public sealed class NluRegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-reg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The trainer of a KB of up to Nlu:MaxDenseIntents articles.</summary>
    private static IIntentTrainer Resolve(string? vectorsPath, string? use = null) => ResolveAll(vectorsPath, use).Dense;

    private static IntentCountTrainer ResolveAll(string? vectorsPath, string? use = null, string? maxDense = null)
    {
        var settings = new List<KeyValuePair<string, string?>>();
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
        using var sp = new ServiceCollection().AddNlu(config).BuildServiceProvider();
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

    [Fact]
    public void A_path_that_names_no_file_fails_with_the_path()
    {
        string missing = Path.Combine(_dir, "nothing.vec");
        var ex = Assert.Throws<InvalidOperationException>(() => Resolve(missing));
        Assert.Contains("Nlu:WordVectors", ex.Message);
        Assert.Contains(missing, ex.Message);
    }
}
