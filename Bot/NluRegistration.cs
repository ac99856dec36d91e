using BotEngine.Nlu;
using BotEngine.Nlu.Features;

namespace BotEngine.Bot;

public static class NluRegistration
{
    /// <summary>
    /// The classifier trainer. <c>Nlu:WordVectors</c> names an optional word-vectors file (made by
    /// <c>nlu vectors</c>). With <c>Nlu:WordVectorsUse</c> = <c>choose</c> (the default) every training runs with and
    /// without them and keeps the model with the higher held-out accuracy; <c>always</c> uses them without asking.
    /// </summary>
    public static IServiceCollection AddNlu(this IServiceCollection services, IConfiguration configuration)
    {
        string? path = configuration["Nlu:WordVectors"];
        string use = configuration["Nlu:WordVectorsUse"] ?? "choose";
        return services.AddSingleton<IIntentTrainer>(sp =>
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return new IntentTrainer();
            }

            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Nlu:WordVectors: no file at '{Path.GetFullPath(path)}'");
            }

            var options = new NluOptions { WordVectors = WordVectors.Load(path) };
            return use.ToLowerInvariant() switch
            {
                "choose" => new VectorChoosingTrainer(options, ChoiceLog(sp)),
                "always" => new IntentTrainer(options),
                _ => throw new InvalidOperationException($"Nlu:WordVectorsUse: '{use}' is neither 'choose' nor 'always'"),
            };
        });
    }

    private static Action<string>? ChoiceLog(IServiceProvider sp)
    {
        var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("BotEngine.Nlu");
        return logger is null ? null : line => logger.LogInformation("{Choice}", line);
    }
}
