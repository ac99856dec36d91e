namespace BotEngine.KnowledgeBase;

public enum AgentCallStatus
{
    /// <summary>200 with actions in the body.</summary>
    Answered,
    /// <summary>202 or 204: the agent will answer later through the callback API.</summary>
    Accepted,
    /// <summary>All attempts failed, or the agent refused the event (4xx) or answered nonsense.</summary>
    Failed,
}
