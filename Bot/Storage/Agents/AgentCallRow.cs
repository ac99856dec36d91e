namespace BotEngine.Storage.Agents;

public sealed record AgentCallRow
{
    public string Id { get; init; } = "";
    public string DialogId { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string? MessageId { get; init; }
    public string Event { get; init; } = "";
    public long CreatedAt { get; init; }
    public long DeadlineAt { get; init; }
    public int Attempts { get; init; }
    public long NextAttemptAt { get; init; }
    public long? WaitNoticeAt { get; init; }
    public long? FinishedAt { get; init; }
    public string? Outcome { get; init; }
    public string? LastError { get; init; }
    /// <summary>Set while the agent owes an asynchronous answer to this call (it answered 202): when its answer timeout runs out.</summary>
    public long? AnswerDueAt { get; init; }
}
