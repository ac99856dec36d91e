using BotEngine.Http;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

/// <summary>Brings the engine up in order: schema, secrets, seeded admin, knowledge, channels. Health turns ready after it.</summary>
public sealed partial class EngineStartup(
    SchemaMigrator migrator,
    EngineSecrets secrets,
    OperatorAccounts accounts,
    KnowledgeRuntime knowledge,
    ChannelDirectory channels,
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
        await channels.RefreshAsync(cancellationToken);
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
