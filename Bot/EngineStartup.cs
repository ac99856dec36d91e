using BotEngine.Bot.Auth;
using BotEngine.Bot.Channels.DirectLine;
using BotEngine.Bot.Conversation;
using BotEngine.Bot.Routing;
using BotEngine.Bot.Storage;
using BotEngine.Nlu;
using BotEngine.Nlu.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

public sealed class BootstrapOptions
{
    /// <summary>The seeded admin's password (BOTENGINE_ADMIN_PASSWORD); generated and printed once when empty.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary>Signing material that must be the same across restarts and nodes, kept in the settings table.</summary>
public sealed class EngineSecrets(SettingsStore settings, IOptions<DirectLineOptions> directLine, TimeProvider time)
{
    private SignedTokens? _operatorTokens;
    private DirectLineAuth? _directLine;

    public SignedTokens OperatorTokenSigner => _operatorTokens ?? throw new InvalidOperationException("Secrets are not loaded yet.");

    public DirectLineAuth DirectLine => _directLine ?? throw new InvalidOperationException("Secrets are not loaded yet.");

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var signing = await settings.GetOrCreateAsync("auth.signing_key", () => SignedTokens.NewSecret(), cancellationToken);
        _operatorTokens = new SignedTokens(Convert.FromBase64String(signing.Replace('-', '+').Replace('_', '/').PadRight((signing.Length + 3) / 4 * 4, '=')));
        var secret = directLine.Value.Secret;
        if (string.IsNullOrWhiteSpace(secret))
            secret = await settings.GetOrCreateAsync("directline.secret", () => SignedTokens.NewSecret(), cancellationToken);
        _directLine = new DirectLineAuth(secret, directLine.Value.TokenLifetime, time);
    }
}

/// <summary>Brings the engine up in order: schema, secrets, seeded admin, knowledge. Health turns ready after it.</summary>
public sealed partial class EngineStartup(
    SchemaMigrator migrator,
    EngineSecrets secrets,
    OperatorAccounts accounts,
    KnowledgeRuntime knowledge,
    IOptions<BootstrapOptions> bootstrap,
    ILogger<EngineStartup> logger) : IHostedService
{
    public const string AdminLogin = "admin";

    public bool IsReady { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await secrets.LoadAsync(cancellationToken);
        await SeedAdminAsync(cancellationToken);
        await knowledge.LoadAsync(cancellationToken);
        IsReady = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAdminAsync(CancellationToken cancellationToken)
    {
        if (await accounts.FindByLoginAsync(AdminLogin, cancellationToken) is not null)
            return;
        var password = bootstrap.Value.AdminPassword ?? Environment.GetEnvironmentVariable("BOTENGINE_ADMIN_PASSWORD");
        var generated = string.IsNullOrEmpty(password);
        if (generated)
            password = SignedTokens.NewSecret(12);
        try
        {
            await accounts.CreateAsync(new NewOperator(AdminLogin, password!, "Administrator", 3, [.. BotEngine.Handoff.PermissionNames.All]), cancellationToken);
        }
        catch (DeskException ex) when (ex.StatusCode == 409)
        {
            return; // Another node seeded it first.
        }
        if (generated)
        {
            // Printed once, on the first start of an empty database: there is no other way to learn it.
            Console.WriteLine($"BotEngine: created operator '{AdminLogin}' with password: {password}");
        }
        LogAdminSeeded(logger, AdminLogin);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Seeded operator {Login}")]
    private static partial void LogAdminSeeded(ILogger logger, string login);
}

public sealed class ReadinessCheck(EngineStartup startup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(startup.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("starting"));
}

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
