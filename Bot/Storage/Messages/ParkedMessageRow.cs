namespace BotEngine.Storage.Messages;

public sealed class ParkedMessageRow
{
    public string Id { get; set; } = "";
    public string DialogId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string DialogState { get; set; } = "";
    public string? Text { get; set; }
    public int TurnAttempts { get; set; }
    public string? TurnError { get; set; }
    public long CreatedAt { get; set; }
    public long ParkedAt { get; set; }
}
