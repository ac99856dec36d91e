using BotEngine.Bot.Files;
using BotEngine.Bot.Middleware;
using BotEngine.Conversations;
using BotEngine.Engine;
using BotEngine.Bot.Api;
using BotEngine.Bot.Auth;
using BotEngine.Channels.BotFramework;
using BotEngine.Channels.DirectLine;
using BotEngine.Channels.Email;
using BotEngine.Channels.Messengers;
using BotEngine.Channels.Telegram;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Storage.Channels;
using BotEngine.Storage.DirectLine;
using BotEngine.Storage.Files;
using BotEngine.Http;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Messages;
using BotEngine.Storage.Desk;
using BotEngine.Bot.Web;
using BotEngine.Bot.Jobs;
using BotEngine.Engine.Learning;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

/// <summary>The composition root: configuration, storage, channels, pipeline, API and pages.</summary>
public static class BotApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--data-dir"] = "Storage:DataDir",
        ["--postgres"] = "ConnectionStrings:Postgres",
        ["--directline-secret"] = "DirectLine:Secret",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        if (Environment.GetEnvironmentVariable("BOTENGINE_DIRECTLINE_SECRET") is { Length: > 0 } secret)
            builder.Configuration["DirectLine:Secret"] = secret;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);

        AddServices(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseMiddleware<AuditTrail>();

        app.MapOpenApi("/openapi/{documentName}.json").AllowPublic("the API's description");
        app.MapHealthChecks("/healthz").AllowPublic("readiness probe, tells nothing else");
        app.MapDirectLine();
        app.MapTelegramWebhook();
        app.MapMessengerWebhooks();
        app.MapBotFrameworkChannel();
        app.MapAuthApi();
        app.MapApi();
        app.MapRoutingApi();
        app.MapWorkplaceApi();
        app.MapChannelsApi();
        app.MapClientsApi();
        app.MapWidgetApi();
        app.MapParkedTurnsApi();
        app.MapStatisticsApi();
        app.MapHistoryApi();
        app.MapWebhooksApi();
        app.MapExportApi();
        app.MapSupervisorApi();
        app.MapAuditApi();
        app.MapApiKeysApi();
        app.MapKnowledgeBaseApi();
        app.MapFiles();
        app.MapPages();
        // the learning loop: labelling, model registry, and the jobs' dashboard
        app.MapLearningApi();
        app.MapJobsDashboard();
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddEngineRateLimits();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready");
        services.AddCors(o => o.AddPolicy(DirectLineEndpoints.CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Retry-After")));

        services.AddOptions<StorageOptions>().BindConfiguration("Storage");
        services.AddOptions<DirectLineOptions>().BindConfiguration("DirectLine")
            .Validate(o => o.MaxActivityBytes > 0 && o.MaxTextLength > 0 && o.TokenLifetime > TimeSpan.Zero,
                "DirectLine: MaxActivityBytes, MaxTextLength and TokenLifetime must be positive.")
            .ValidateOnStart();
        services.AddOptions<RequestLimitsOptions>().BindConfiguration("Limits")
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxKbImportBytes > 0 && o.MaxJsonDepth is > 0 and <= 256,
                "Limits: MaxBodyBytes and MaxKbImportBytes must be positive, MaxJsonDepth between 1 and 256.")
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration("Auth");
        services.AddOptions<LoginThrottleOptions>().BindConfiguration("Auth:Throttle")
            .Validate(o => o.IsValid(), "Auth:Throttle: LoginFailures and AddressFailures at least 1, 0 < FirstDelay <= MaxDelay <= ForgetAfter, MaxTracked at least 100.")
            .ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().BindConfiguration("Auth:Hashing")
            .Validate(o => o.Workers >= 0 && o.QueueLength >= 1, "Auth:Hashing: Workers at least 0 (0 = half the processors), QueueLength at least 1.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        services.AddOptions<TurnSchedulerOptions>().BindConfiguration("Turns");
        services.AddOptions<TurnOptions>().BindConfiguration("Turns").ValidateOnStart();
        services.AddSingleton<IValidateOptions<TurnOptions>, TurnOptionsValidator>();
        services.AddOptions<KnowledgeOptions>().BindConfiguration("Knowledge");
        services.AddOptions<BootstrapOptions>().BindConfiguration("Bootstrap");
        services.AddOptions<TimerLoopOptions>().BindConfiguration("Timers");
        services.AddOptions<QueueNoticeOptions>().BindConfiguration("QueueNotices");
        services.AddOptions<BotIdleOptions>().BindConfiguration("BotIdle")
            .Validate(o => o.CheckInterval > TimeSpan.Zero, "BotIdle: CheckInterval must be positive.").ValidateOnStart();
        services.AddOptions<WorkplaceOptions>().BindConfiguration("Workplace")
            .Validate(o => o.ResponseTarget > TimeSpan.Zero && o.EmailResponseTarget > TimeSpan.Zero && o.AmberBefore >= TimeSpan.Zero, "Workplace: ResponseTarget and EmailResponseTarget must be positive, AmberBefore at least 0.")
            .ValidateOnStart();
        services.AddOptions<FilesOptions>().BindConfiguration("Files")
            .Validate(o => o.MaxFileBytes > 0 && o.MaxUploadBytes >= o.MaxFileBytes && o.MaxFilesPerUpload > 0,
                "Files: MaxFileBytes must be positive and at most MaxUploadBytes; MaxFilesPerUpload positive.")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var postgres = configuration.GetConnectionString("Postgres");
            if (!string.IsNullOrWhiteSpace(postgres))
                return Database.ForPostgres(postgres);
            var dataDir = sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir;
            return Database.ForSqliteFile(Path.Combine(Path.GetFullPath(dataDir), "botengine.db"));
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<EngineSecrets>();
        services.AddSingleton(sp => sp.GetRequiredService<EngineSecrets>().OperatorTokenSigner);
        services.AddSingleton(sp => sp.GetRequiredService<EngineSecrets>().DirectLine);

        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<OutboundWriter>();
        services.AddSingleton<PlanWriter>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<TurnScheduler>();
        services.AddSingleton<TurnProcessor>();
        services.AddSingleton<TurnRetries>();
        services.AddSingleton<TurnParking>();
        services.AddSingleton<EffectsPublisher>();
        services.AddSingleton<InboundStore>();
        services.AddSingleton<TurnStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<ITurnStore>(sp => sp.GetRequiredService<TurnStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<OutboxStore>());
        services.AddSingleton<KnownConversations>();
        services.AddSingleton<InboundGateway>();
        services.AddSingleton<DirectLineConversations>();
        services.AddSingleton<DirectLineActivities>();
        services.AddSingleton<DirectLineStore>();
        services.AddSingleton<FileRows>();
        services.AddSingleton<FileStore>();
        services.AddSingleton<IEngineRoot, ServerRoot>();
        services.AddSingleton<FileUrls>();
        services.AddSingleton<IChannelSender, DirectLineSender>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<ChannelConfigurations>();
        services.AddSingleton<ChannelHealthRecorder>();
        services.AddSingleton<SentActivities>();
        services.AddTelegramChannel();
        services.AddMessengerChannels();
        services.AddEmailChannel();
        services.AddBotFrameworkChannel();
        services.AddClientProfiles();
        services.AddSingleton<BotEngine.Storage.Export.ExportStore>();
        services.AddSingleton<BotEngine.Storage.Statistics.StatusTimesStore>();
        services.AddSingleton<BotEngine.Storage.Audit.AuditStore>();

        services.AddNlu(configuration);
        services.AddKnowledgeBase();
        services.AddLearning();

        services.AddSingleton<AssignmentSignal>();
        services.AddSingleton(new BotEngine.Handoff.Router());
        services.AddSingleton<BotEngine.Handoff.DialogActions>();
        services.AddSingleton<BotEngine.Handoff.TimerPolicy>();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<PositionStore>();
        services.AddSingleton<CallCentreStore>();
        services.AddSingleton<ChannelBindingStore>();
        services.AddSingleton<DialogTimerStore>();
        services.AddSingleton<DialogViewStore>();
        services.AddSingleton<BotEngine.Storage.Workplace.WorkplaceStore>();
        services.AddSingleton<BotEngine.Storage.Templates.AnswerTemplateStore>();
        services.AddSingleton<BotEngine.Storage.Statistics.StatisticsStore>();
        services.AddSingleton<BotEngine.Storage.History.HistoryStore>();
        services.AddSingleton<BotEngine.Storage.History.MessageSearchIndex>();
        services.AddSingleton<CallbackRequestStore>();
        services.AddSingleton<DeskLocks>();
        services.AddSingleton<DialogTimers>();
        services.AddSingleton<QueueNotices>();
        services.AddSingleton<HandoffEntry>();
        services.AddSingleton<RoutingPass>();
        services.AddSingleton<OperatorDesk>();
        services.AddSingleton<SupervisorAssignment>();
        services.AddSingleton<ChannelBindings>();
        services.AddSingleton<OperatorAccounts>();
        services.AddSingleton<OperatorTokens>();
        services.AddSingleton<BotEngine.Storage.ApiKeys.ApiKeyStore>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<OperatorSignIn>();
        services.AddSingleton<AccountDisabling>();

        services.AddAuthentication(OperatorTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorTokenHandler>(OperatorTokenHandler.SchemeName, null);
        // Endpoints name their permissions with RequirePermission (EndpointAccess); no named policies.
        services.AddAuthorization();

        // Start-up order matters: the schema and knowledge must be ready before channels take traffic.
        services.AddSingleton<EngineStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineStartup>());
        services.AddHostedService(sp => sp.GetRequiredService<TurnScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<BotEngine.Engine.Agents.AgentCallDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<BotEngine.Engine.Agents.AgentAnswerTimeouts>());
        services.AddHostedService<OutboxLoop>();
        services.AddHostedService<ChannelRefreshLoop>();
        services.AddHostedService<BotEngine.Engine.Statistics.StatisticsFactsLoop>();
        services.AddHostedService<BotEngine.Engine.History.MessageSearchIndexLoop>();
        services.AddHostedService<RoutingLoop>();
        services.AddSingleton<QueueNoticeLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueNoticeLoop>());
        services.AddSingleton<TimerLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerLoop>());
        services.AddSingleton<BotIdleCloser>();
        services.AddHostedService(sp => sp.GetRequiredService<BotIdleCloser>());
        services.AddWorkplace();
        // After EngineStartup: the webhook loop reads tables the schema migration makes.
        services.AddWebhooks();
        // Last: jobs (training needs the knowledge loaded) start once the engine is up.
        services.AddEngineJobs(configuration);
    }
}
