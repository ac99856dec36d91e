namespace BotEngine.KnowledgeBase;

/// <summary>Action types an agent answers with.</summary>
public static class AgentActionTypes
{
    public const string Message = "message";
    public const string Done = "done";
    public const string Handoff = "handoff";
    public const string Close = "close";
}
