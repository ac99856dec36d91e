using BotEngine.Engine.Agents;
using BotEngine.Engine.Learning;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;
using BotEngine.Storage.Agents;
using BotEngine.Storage.Knowledge;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Knowledge;

public static class KnowledgeRegistration
{
    /// <summary>The knowledge base, its runtime (runner, classifier, search), the bot's responder and external agents.</summary>
    public static IServiceCollection AddKnowledgeBase(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>().BindConfiguration("Knowledge")
            .Validate(o => o.SearchEncoder is "none" || SentenceEncoders.Names.Contains(o.SearchEncoder),
                $"Knowledge:SearchEncoder must be none or one of {string.Join(", ", SentenceEncoders.Names)}.")
            .ValidateOnStart();
        services.AddOptions<AgentOptions>().BindConfiguration("Agents").ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidation>();
        services.AddSingleton<KbStore>();
        services.AddStoredEmbeddings();
        services.AddSingleton(sp => new KbSearchIndex(semantic: EncoderSearchEmbedder.For(
                sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.SearchEncoder, sp.GetRequiredService<EmbeddingCaches>()) is { } embedder
            ? new SemanticKbIndex(embedder)
            : null));
        services.AddHostedService<SemanticSearchBackground>();
        services.AddSingleton<KnowledgeRuntime>();
        services.AddSingleton<PhrasingQuality>();
        services.AddSingleton<SystemTexts>();
        services.AddSingleton<BotResponder>();
        services.AddSingleton<OwnerGate>();
        services.AddSingleton<NonMessageStep>();
        services.AddSingleton<ExternalAgentStep>();
        services.AddSingleton<FilesOnlyStep>();
        services.AddSingleton<KnowledgeStep>();
        services.AddSingleton<TurnPipeline>();
        // Per-attempt timeouts come from each agent's settings, so the HttpClient itself never times out.
        services.AddSingleton(sp => new ExternalAgentClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<TimeProvider>(),
            new ExternalAgentClientOptions { RetryDelay = sp.GetRequiredService<IOptions<AgentOptions>>().Value.RetryDelay }));
        services.AddSingleton<AgentGateway>();
        services.AddSingleton<AgentCallbacks>();
        services.AddSingleton<AgentLifecycleEvents>();
        // Agent calls run outside the turn lanes, with their own concurrency and timeouts.
        services.AddSingleton<AgentCallStore>();
        services.AddSingleton<AgentCallbackStore>();
        services.AddSingleton<AgentDialogStore>();
        services.AddSingleton<AgentCallSignal>();
        services.AddSingleton<AgentCallRunner>();
        services.AddSingleton<AgentWaitNotices>();
        services.AddSingleton<AgentCallDispatcher>();
        services.AddSingleton<AgentAnswerTimeouts>();
        services.AddSingleton<FailedAgentCalls>();
        services.AddHostedService<KnowledgeBackground>();
        return services;
    }
}
