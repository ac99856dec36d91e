namespace BotEngine.Engine.Pipeline;

public sealed class TurnSchedulerOptions
{
    /// <summary>Number of ordered lanes; a conversation always maps to the same lane.</summary>
    public int Partitions { get; set; } = 16;
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
