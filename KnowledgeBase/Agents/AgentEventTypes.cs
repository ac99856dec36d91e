namespace BotEngine.KnowledgeBase;

/// <summary>Event types the engine posts to an external agent (see docs/external-agent.openapi.yaml).</summary>
public static class AgentEventTypes
{
    public const string DialogStarted = "dialogStarted";
    public const string ClientMessage = "clientMessage";
    public const string ReturnedFromOperator = "returnedFromOperator";
    /// <summary>The dialog this agent owned (or handed to operators) was closed; the answer to it is not used.</summary>
    public const string DialogClosed = "dialogClosed";
}
