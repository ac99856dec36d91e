using BotEngine.Bot;
using BotEngine.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

public sealed class NluRegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-reg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IntentTrainer Resolve(string? vectorsPath)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(vectorsPath is null ? [] : [new("Nlu:WordVectors", vectorsPath)])
            .Build();
        using var sp = new ServiceCollection().AddNlu(config).BuildServiceProvider();
        return (IntentTrainer)sp.GetRequiredService<IIntentTrainer>();
    }

    [Fact]
    public void Configured_word_vectors_reach_the_trainer()
    {
        string source = Path.Combine(_dir, "glove.txt");
        File.WriteAllText(source, "hello 0.9 0.1\nbye 0.1 0.9\n");
        string path = Path.Combine(_dir, "en.vec");
        BotEngine.Nlu.Features.WordVectors.Import(source, 100).Save(path);

        var trainer = Resolve(path);
        Assert.NotNull(trainer.Options.WordVectors);
        Assert.Equal(2, trainer.Options.WordVectors!.Count);
        Assert.Null(Resolve(null).Options.WordVectors);
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
