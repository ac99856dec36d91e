namespace BotEngine.KnowledgeBase;

public sealed record AgentClientMessage
{
    /// <summary>Markdown.</summary>
    public string Text { get; init; } = "";
    public string Format { get; init; } = "markdown";
    /// <summary>The value of a button the agent sent, when the client pressed one.</summary>
    public string? Payload { get; init; }
    public List<AgentFile> Attachments { get; init; } = [];
}
