namespace BotEngine.KnowledgeBase;

/// <summary>The agent's answer: the synchronous response body, or the body of a callback.</summary>
public sealed record AgentResponse
{
    public List<AgentAction> Actions { get; init; } = [];
}
