namespace BotEngine.Engine.Desk;

public sealed class QueueNoticeOptions
{
    /// <summary>How often waiting dialogs are checked for a changed place or estimate.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
}
