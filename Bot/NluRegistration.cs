using BotEngine.Engine.Learning;
using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Features;

namespace BotEngine.Bot;

public static class NluRegistration
{
    /// <summary>
    /// The classifier trainer. <c>Nlu:WordVectors</c> names an optional word-vectors file (made by
    /// <c>nlu vectors</c>). With <c>Nlu:WordVectorsUse</c> = <c>choose</c> (the default) every training runs with and
    /// without them and keeps the model with the higher held-out accuracy; <c>always</c> uses them without asking.
    /// <c>Nlu:Encoder</c> = <c>minilm</c> (or <c>arctic</c>) adds that sentence encoder's embedding to the features of an
    /// English knowledge base, <c>auto</c> (the default) trains with MiniLM too and keeps it only when held-out accuracy
    /// says so, <c>none</c> leaves it out. The model is loaded at the first English phrasing to embed, so a Russian
    /// knowledge base never loads it. Embeddings of phrasings go to the process's cache of that encoder, which the KB
    /// search shares, and to the database (<see cref="StoredEmbeddings"/>), so a retrain after an edit, or after a
    /// restart, embeds only the phrasings never embedded before. Above <c>Nlu:MaxDenseIntents</c> intents (1,000) the
    /// trainer builds the nearest-phrasing model instead, whose cost grows with the phrasings alone (a KB of thousands
    /// of articles).
    /// </summary>
    public static IServiceCollection AddNlu(this IServiceCollection services, IConfiguration configuration)
    {
        string? path = configuration["Nlu:WordVectors"];
        string use = configuration["Nlu:WordVectorsUse"] ?? "choose";
        string encoder = (configuration["Nlu:Encoder"] ?? "auto").ToLowerInvariant();
        if (encoder is not ("none" or SentenceEncoders.MiniLm or SentenceEncoders.ArcticXs or "auto"))
        {
            throw new InvalidOperationException($"Nlu:Encoder: '{encoder}' is none of 'none', 'minilm', 'arctic', 'auto'");
        }

        int maxDense = configuration.GetValue("Nlu:MaxDenseIntents", IntentCountTrainer.DefaultMaxDenseIntents);
        if (maxDense < 2)
        {
            throw new InvalidOperationException($"Nlu:MaxDenseIntents: {maxDense} is below 2");
        }

        if (encoder is not "none")
        {
            services.AddStoredEmbeddings();
        }

        return services.AddSingleton<IIntentTrainer>(sp => new IntentCountTrainer(DenseTrainer(sp, path, use, encoder), new NearestPhrasingTrainer(), maxDense));
    }

    private static IIntentTrainer DenseTrainer(IServiceProvider sp, string? path, string use, string encoder)
    {
        var candidates = new List<(string Name, NluOptions Options)>();
        if (string.IsNullOrWhiteSpace(path))
        {
            candidates.Add(("n-grams", new NluOptions()));
        }
        else
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Nlu:WordVectors: no file at '{Path.GetFullPath(path)}'");
            }

            var options = new NluOptions { WordVectors = WordVectors.Load(path) };
            switch (use.ToLowerInvariant())
            {
                case "choose":
                    candidates.Add(("n-grams", options with { WordVectors = null }));
                    candidates.Add(("word vectors", options));
                    break;
                case "always":
                    candidates.Add(("word vectors", options));
                    break;
                default:
                    throw new InvalidOperationException($"Nlu:WordVectorsUse: '{use}' is neither 'choose' nor 'always'");
            }
        }

        if (encoder is "none")
        {
            // as before the encoder existed: the vector choice has its own trainer
            return candidates.Count == 1 ? new IntentTrainer(candidates[0].Options) : new VectorChoosingTrainer(candidates[1].Options, ChoiceLog(sp));
        }

        // loaded at the first phrasing to embed: a Russian knowledge base never loads it
        var e = new DeferredSentenceEncoder(encoder is "auto" ? SentenceEncoders.MiniLm : encoder);
        var cache = sp.GetRequiredService<EmbeddingCaches>().For(e.Name);
        var withEncoder = candidates[0].Options with { Encoder = e, EmbeddingCache = cache };
        if (encoder is not "auto")
        {
            candidates.Clear();
        }

        candidates.AddRange(EncoderCandidates.WithEncoder(withEncoder));

        IIntentTrainer trainer = candidates.Count == 1 ? new IntentTrainer(candidates[0].Options) : new ChoosingTrainer(candidates, ChoiceLog(sp));
        return new StoredEmbeddingsTrainer(trainer, cache, sp.GetRequiredService<StoredEmbeddings>());
    }

    private static Action<string>? ChoiceLog(IServiceProvider sp)
    {
        var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("BotEngine.Nlu");
        return logger is null ? null : line => logger.LogInformation("{Choice}", line);
    }
}
