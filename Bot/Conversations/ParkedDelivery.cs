namespace BotEngine.Conversations;

/// <summary>A delivery the outbox gave up on: which message, to whom, after how many attempts, and why.</summary>
/// <remarks>Settable properties, not a positional record: <c>attempts</c> is a 32-bit integer on PostgreSQL and a 64-bit one on SQLite.</remarks>
public sealed class ParkedDelivery
{
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string Channel { get; set; } = "";
    public long Attempts { get; set; }
    public string? LastError { get; set; }
    public long FailedAt { get; set; }
}
