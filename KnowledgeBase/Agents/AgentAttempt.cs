namespace BotEngine.KnowledgeBase;

/// <summary>One attempt's result; <see cref="Transient"/> when another attempt may succeed.</summary>
public sealed record AgentAttempt(AgentCallStatus Status, AgentResponse? Response, string? Error, bool Transient);
