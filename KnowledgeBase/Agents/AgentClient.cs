namespace BotEngine.KnowledgeBase;

/// <summary>The client's contact data as the engine knows it.</summary>
public sealed record AgentClient
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}
