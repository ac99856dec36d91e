using BotEngine.Handoff;
using BotEngine.Http;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire with the engine's storage: its PostgreSQL schema on PostgreSQL (jobs shared by every node, each
    /// occurrence run once), in memory on the embedded SQLite default (Hangfire.Storage.SQLite would bring a second
    /// native SQLite that replaces the one Microsoft.Data.Sqlite uses; recurring jobs are registered again at start).
    /// </summary>
    public static IServiceCollection AddEngineJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().BindConfiguration("Jobs")
            .Validate(o => o.Workers is >= 1 and <= 16 && KnownZone(o.TimeZone) && o.PollingInterval >= TimeSpan.FromSeconds(1) && o.PollingInterval <= TimeSpan.FromMinutes(5),
                "Jobs: TimeZone must be a known time zone id, Workers 1-16, PollingInterval 1 s - 5 min.")
            .ValidateOnStart();
        // Hangfire's log provider is process-wide: this engine's factory serves it while the engine runs.
        services.AddSingleton(sp => LiveEngineLogProvider.Register(sp.GetRequiredService<ILoggerFactory>()));
        services.AddHangfire((sp, c) =>
        {
            sp.GetRequiredService<LiveEngineLogProvider.Registration>();
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UseLogProvider(LiveEngineLogProvider.Instance);
        });
        // Registered after AddHangfire so this engine's storage wins over Hangfire's process-wide JobStorage.Current
        // (tests run several engines in one process).
        var postgres = configuration.GetConnectionString("Postgres");
        services.AddSingleton<JobStorage>(_ => string.IsNullOrWhiteSpace(postgres)
            ? new InMemoryStorage()
            : new PostgreSqlStorage(new NpgsqlConnectionFactory(JobsConnectionString(postgres), new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire", PrepareSchemaIfNecessary = true, EnableLongPolling = true, QueuePollInterval = TimeSpan.FromSeconds(5),
            }));
        services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            o.WorkerCount = jobs.Workers;
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            o.SchedulePollingInterval = jobs.PollingInterval;
        });
        services.AddHostedService<RecurringJobsSetup>();
        return services;
    }

    /// <summary>The Hangfire dashboard at <c>/jobs</c>, for operators with <c>modify_configuration</c>.</summary>
    public static void MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        // Hangfire's own MapHangfireDashboard allows anonymous callers (its filters decide), which would bypass the
        // engine's declared access: the dashboard runs inside an endpoint of ours instead.
        var dashboard = app.CreateApplicationBuilder()
            .UseHangfireDashboard("/jobs", new DashboardOptions { Authorization = [new DashboardAccess()], DisplayStorageConnectionString = false, AppPath = "/" })
            .Build();
        app.Map("/jobs/{**path}", context =>
        {
            // Access was checked for this endpoint; without it the inner pipeline answers 404 for a path that is no dashboard page.
            context.SetEndpoint(null);
            return dashboard(context);
        }).RequirePermission(Permission.ModifyConfiguration);
    }

    /// <summary>Hangfire's connections in a small pool of their own, so polling jobs never take the engine's connections.</summary>
    private static string JobsConnectionString(string postgres) =>
        new Npgsql.NpgsqlConnectionStringBuilder(postgres) { ApplicationName = "botengine-jobs", MaxPoolSize = 5 }.ConnectionString;

    private static bool KnownZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
