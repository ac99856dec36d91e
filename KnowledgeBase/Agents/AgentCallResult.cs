namespace BotEngine.KnowledgeBase;

public sealed record AgentCallResult(AgentCallStatus Status, AgentResponse? Response, string? Error, int Attempts);
