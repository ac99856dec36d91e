namespace BotEngine.KnowledgeBase;

public sealed record AgentOperator
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Note { get; init; }
}
