namespace BotEngine.Storage.Messages;

/// <summary>An outbound message as a polling channel reads it back.</summary>
public sealed class SentActivityRow
{
    public string Id { get; set; } = "";
    public string Activity { get; set; } = "";
    public long CreatedAt { get; set; }
}
