namespace BotEngine.KnowledgeBase;

/// <summary>Who closed a dialog, as <c>dialogClosed</c> says.</summary>
public static class AgentClosers
{
    public const string Operator = "operator";
    /// <summary>A timer: the client's silence with an operator, or the bot's idle timeout.</summary>
    public const string Timer = "timer";
}
