namespace BotEngine.KnowledgeBase;

public sealed class ExternalAgentClientOptions
{
    /// <summary>Delay before the first retry; doubles for each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
