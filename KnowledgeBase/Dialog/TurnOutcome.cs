namespace BotEngine.KnowledgeBase;

public abstract record TurnOutcome
{
    /// <summary>The bot keeps the dialog.</summary>
    public sealed record Continue : TurnOutcome;

    /// <summary>Queue the dialog for operators.</summary>
    public sealed record Handoff(string? Line, string Reason) : TurnOutcome
    {
        /// <summary>A specific operator (from an external agent's handoff action).</summary>
        public string? OperatorId { get; init; }
        /// <summary>Skills the operator must have (from the article's <c>/operator</c> or the agent's action).</summary>
        public IReadOnlyList<string> Skills { get; init; } = [];
        /// <summary>Queued although the call centre is closed (out-of-hours mode "queue"); the notice was already sent.</summary>
        public bool OutOfHours { get; init; }
    }

    /// <summary>Hand the dialog with its slot values to an external agent (<see cref="DialogState.ExternalAgentId"/> is set).</summary>
    public sealed record Redirect(string AgentId) : TurnOutcome;

    public sealed record Close : TurnOutcome;

    /// <summary>Out of hours the client left contact details instead of queueing: create a callback task for operators.</summary>
    public sealed record CallbackRequested(string? Line, IReadOnlyDictionary<string, string> Contacts) : TurnOutcome;
}
