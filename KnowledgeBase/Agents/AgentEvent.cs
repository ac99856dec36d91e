namespace BotEngine.KnowledgeBase;

/// <summary>One turn event, POSTed as JSON to the agent's URL and signed (<see cref="AgentSignature"/>).</summary>
public sealed record AgentEvent
{
    /// <summary>Unique per event and the same on every retry: agents use it to drop duplicates.</summary>
    public required string EventId { get; init; }
    public required string Type { get; init; }
    public required string AgentId { get; init; }
    public required string DialogId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string Language { get; init; } = "ru";
    /// <summary>Where the client writes from; the agent may adapt (e.g. no buttons in SMS).</summary>
    public required AgentChannel Channel { get; init; }
    public AgentClient Client { get; init; } = new();
    /// <summary>The dialog's slot values (dictionary item ids, phones as +7XXXXXXXXXX).</summary>
    public Dictionary<string, string> Slots { get; init; } = [];
    /// <summary>The client's message (clientMessage), or the last one that led here (dialogStarted); absent otherwise.</summary>
    public AgentClientMessage? Message { get; init; }
    /// <summary>Where to POST actions later (asynchronous answers), signed the same way.</summary>
    public string? CallbackUrl { get; init; }
    /// <summary>returnedFromOperator: the operator who gave the dialog back, and their note; dialogClosed: the operator who closed it.</summary>
    public AgentOperator? Operator { get; init; }
    /// <summary>dialogClosed: <c>operator</c> or <c>timer</c> (<see cref="AgentClosers"/>).</summary>
    public string? ClosedBy { get; init; }
}
