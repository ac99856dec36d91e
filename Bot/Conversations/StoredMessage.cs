namespace BotEngine.Conversations;

/// <summary>One message of a conversation as stored, in either direction, with its turn's bookkeeping when it came in.</summary>
public sealed record StoredMessage
{
    public string Id { get; init; } = "";
    public string DialogId { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string Channel { get; init; } = "";
    public long Seq { get; init; }
    public string Direction { get; init; } = "";
    public string Author { get; init; } = "";
    public string? AuthorId { get; init; }
    public string? Text { get; init; }
    public string Activity { get; init; } = "";
    public string? ChannelMessageId { get; init; }
    public string? ReplyToId { get; init; }
    public long CreatedAt { get; init; }
    public long? ProcessedAt { get; init; }
    /// <summary>Runs of this message's turn that failed or were claimed as a retry (see TurnRetries).</summary>
    public int TurnAttempts { get; init; }
    /// <summary>When the turn may run again: after a failure's backoff, or when a claimed retry's lease ends.</summary>
    public long? TurnNextAt { get; init; }
    public string? TurnError { get; init; }
    /// <summary>Set when the turn gave up for good; the message is then marked processed so the conversation moves on.</summary>
    public long? ParkedAt { get; init; }
    /// <summary>Not a column: set when the channel took the message inside the transaction that stored it.</summary>
    public bool DeliveredInTransaction { get; init; }
    /// <summary>Not a column: read with the next message to process, 1 while its dialog waits for an external agent.</summary>
    public long AgentCallsOpen { get; init; }
}
