namespace BotEngine.KnowledgeBase;

public sealed record AgentChannel
{
    /// <summary>"webchat", "telegram", "email", ...</summary>
    public required string Type { get; init; }
    /// <summary>The client's id within the channel, when the channel has one.</summary>
    public string? Id { get; init; }
    /// <summary>The configured channel instance (one of several Telegram bots, say); the type's name for a built-in channel.</summary>
    public string? Instance { get; init; }
}
