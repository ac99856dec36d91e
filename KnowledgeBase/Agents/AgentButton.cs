namespace BotEngine.KnowledgeBase;

/// <summary>A link button (url) or a reply button (value, sent back as the next message's payload).</summary>
public sealed record AgentButton
{
    public required string Label { get; init; }
    public string? Url { get; init; }
    public string? Value { get; init; }
}
