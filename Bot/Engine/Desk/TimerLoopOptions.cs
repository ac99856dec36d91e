namespace BotEngine.Engine.Desk;

public sealed class TimerLoopOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
