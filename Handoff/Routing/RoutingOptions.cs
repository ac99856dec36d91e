namespace BotEngine.Handoff;

public sealed record RoutingOptions
{
    /// <summary>Try the client's previous operators first (the switchable setting).</summary>
    public bool PreferPreviousOperators { get; init; } = true;
}
