namespace BotEngine.Engine.Agents;

public enum CallbackOutcome
{
    Applied,
    /// <summary>The same callback id (or agent call) was applied before: nothing done again.</summary>
    Duplicate,
    UnknownDialog,
    /// <summary>The agent does not own the dialog (never did, or gave it back).</summary>
    NotOwner,
}
