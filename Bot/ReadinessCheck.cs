using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Channels.DirectLine;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Nlu;
using BotEngine.Nlu.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

public sealed class ReadinessCheck(EngineStartup startup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(startup.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("starting"));
}
