namespace BotEngine.Engine.Pipeline;

public sealed class TurnOptions
{
    /// <summary>Fault injection for crash tests: wait this long before running a stored inbound message's turn.</summary>
    public TimeSpan DebugTurnDelay { get; set; } = TimeSpan.Zero;
}
