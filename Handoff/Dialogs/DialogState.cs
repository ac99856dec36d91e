namespace BotEngine.Handoff;

/// <summary>Who owns the dialog: the bot, the queue, one operator (offered or accepted), nobody (detached) or closed.</summary>
public enum DialogState
{
    Bot,
    Queued,
    /// <summary>Given to an operator who has not accepted it yet; it already takes one of their slots.</summary>
    Assigned,
    /// <summary>Accepted; the operator is talking to the client.</summary>
    Active,
    /// <summary>Released after a client timeout; the client's next message re-queues it preferring the same operator.</summary>
    Detached,
    Closed,
}
