namespace BotEngine.Engine.Pipeline;

public sealed class OutboxOptions
{
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}
