namespace BotEngine.Conversations;

/// <summary>An outbox row claimed for one delivery attempt, with the activity to send.</summary>
public sealed class OutboxClaim
{
    public string Id { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Activity { get; set; } = "";
    public long Attempts { get; set; }
}
