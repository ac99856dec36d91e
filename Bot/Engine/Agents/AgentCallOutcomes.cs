namespace BotEngine.Engine.Agents;

public static class AgentCallOutcomes
{
    public const string Answered = "answered";
    /// <summary>The agent took the event and will answer through the callback API.</summary>
    public const string Accepted = "accepted";
    /// <summary>The agent failed for good; the dialog went to operators.</summary>
    public const string Failed = "failed";
    /// <summary>The dialog was no longer the agent's when the call came to be made or answered.</summary>
    public const string Dropped = "dropped";
}
