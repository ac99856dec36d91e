using BotEngine.Engine.Files;
using BotEngine.Storage.Learning;

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
}
