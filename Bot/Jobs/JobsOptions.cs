namespace BotEngine.Bot.Jobs;

/// <summary>The recurring jobs (section <c>Jobs</c>), run by Hangfire.</summary>
public sealed class JobsOptions
{
    /// <summary>When the nightly training runs (cron of five fields, or six with seconds first, in <see cref="TimeZone"/>).</summary>
    public string TrainingCron { get; set; } = "0 3 * * *";

    /// <summary>When housekeeping (unreferenced stored files) runs.</summary>
    public string HousekeepingCron { get; set; } = "30 3 * * *";

    /// <summary>IANA or Windows time zone id of the cron expressions.</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>False leaves the recurring jobs unscheduled (tests; a node that should only serve); triggered jobs still run.</summary>
    public bool Schedule { get; set; } = true;

    /// <summary>Jobs one node runs at once.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>How often a node looks for due recurring and delayed jobs (a cron with seconds needs less than its step).</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
