using BotEngine.Engine.Files;
using BotEngine.Engine.Learning;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Jobs;

/// <summary>
/// Registers the recurring jobs at every start (the embedded in-memory job storage forgets them on restart; on
/// PostgreSQL this updates the shared schedule, and Hangfire runs each occurrence on one node).
/// </summary>
public sealed class RecurringJobsSetup(IRecurringJobManager jobs, IOptions<JobsOptions> options) : IHostedService
{
    public const string NightlyTraining = "nightly-training";
    public const string Housekeeping = "housekeeping";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Schedule)
        {
            jobs.RemoveIfExists(NightlyTraining);
            jobs.RemoveIfExists(Housekeeping);
            return Task.CompletedTask;
        }
        var zone = new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone) };
        jobs.AddOrUpdate<ModelTraining>(NightlyTraining, t => t.RunAsync("nightly", CancellationToken.None), o.TrainingCron, zone);
        jobs.AddOrUpdate<FileHousekeeping>(Housekeeping, h => h.RunAsync(CancellationToken.None), o.HousekeepingCron, zone);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
