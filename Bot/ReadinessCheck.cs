using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotEngine.Bot;

public sealed class ReadinessCheck(EngineStartup startup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(startup.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("starting"));
}
