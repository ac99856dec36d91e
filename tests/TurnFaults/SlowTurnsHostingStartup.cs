using BotEngine.Engine.Pipeline.Turns;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

[assembly: HostingStartup(typeof(BotEngine.TurnFaults.SlowTurnsHostingStartup))]

namespace BotEngine.TurnFaults;

/// <summary>
/// Adds a turn step that waits before every turn, to engine processes started by <see cref="SlowTurnsProcess"/>: crash
/// tests kill such a process after it acknowledged a message and before the turn could commit.
/// </summary>
public sealed class SlowTurnsHostingStartup : IHostingStartup
{
    public const string DelayVariable = "BOTENGINE_TEST_TURN_DELAY";
    public const string StartedFileVariable = "BOTENGINE_TEST_TURN_STARTED_FILE";

    public void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services =>
        {
            if (TimeSpan.TryParse(Environment.GetEnvironmentVariable(DelayVariable), System.Globalization.CultureInfo.InvariantCulture, out var delay))
                services.AddSingleton<ITurnStep>(new SlowTurnStep(delay, Environment.GetEnvironmentVariable(StartedFileVariable)));
        });
}
