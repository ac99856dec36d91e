using BotEngine.Engine.Files;
using BotEngine.Nlu.Encoders;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotEngine.Engine.Learning;

public static class LearningRegistration
{
    /// <summary>The learning loop: training examples, the labelling inbox, training runs with gated promotion, the model registry.</summary>
    public static IServiceCollection AddLearning(this IServiceCollection services)
    {
        services.AddOptions<LearningOptions>().BindConfiguration("Learning")
            .Validate(o => o.IsValid(), "Learning: CrossValidationFolds 2-10, MaxAccuracyDrop, MaxOosRecallDrop and MaxIntentF1Drop 0-1, EvaluationShare 0-0.5, weights, MinIntentSupport and InboxScanLimit positive.")
            .ValidateOnStart();
        services.AddSingleton<TrainingExampleStore>();
        services.AddSingleton<LabellingStore>();
        services.AddSingleton<ModelRegistryStore>();
        services.AddSingleton<LabellingInbox>();
        services.AddSingleton<Labelling>();
        services.AddSingleton<ModelTraining>();
        services.AddSingleton<ModelPromotion>();
        services.AddSingleton<FileHousekeeping>();
        return services;
    }

    /// <summary>
    /// The process's embedding caches, shared by the classifier and the KB search, and their table (both registrations
    /// ask for it). A test may register its own <see cref="EmbeddingCaches"/> after it (the last one wins) to stand for
    /// a new process.
    /// </summary>
    public static IServiceCollection AddStoredEmbeddings(this IServiceCollection services)
    {
        services.TryAddSingleton(EmbeddingCaches.Shared);
        services.TryAddSingleton<IEmbeddingStore, EmbeddingStore>();
        services.TryAddSingleton<StoredEmbeddings>();
        return services;
    }
}
