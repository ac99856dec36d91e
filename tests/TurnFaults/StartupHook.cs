// A .NET startup hook (DOTNET_STARTUP_HOOKS) must be a class named StartupHook outside any namespace. Loading this
// assembly into an engine process is all it does: the engine then finds SlowTurnsHostingStartup by its assembly name.
#pragma warning disable CA1050
internal static class StartupHook
{
    public static void Initialize()
    {
    }
}
#pragma warning restore CA1050
