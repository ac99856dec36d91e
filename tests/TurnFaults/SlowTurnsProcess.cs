namespace BotEngine.TurnFaults;

/// <summary>
/// The environment that makes an engine process's turns wait <paramref name="delay"/> before they run; each turn's
/// message id is appended to <paramref name="startedFile"/> when its wait begins.
/// </summary>
public static class SlowTurnsProcess
{
    public static IReadOnlyDictionary<string, string> Environment(TimeSpan delay, string startedFile) => new Dictionary<string, string>
    {
        [SlowTurnsHostingStartup.StartedFileVariable] = startedFile,
        ["DOTNET_STARTUP_HOOKS"] = typeof(SlowTurnStep).Assembly.Location,
        ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = typeof(SlowTurnStep).Assembly.GetName().Name!,
        [SlowTurnsHostingStartup.DelayVariable] = delay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
