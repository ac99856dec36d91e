namespace BotEngine.KnowledgeBase;

public sealed record AgentFile
{
    public required string Name { get; init; }
    public string ContentType { get; init; } = "application/octet-stream";
    public required string Url { get; init; }
}
