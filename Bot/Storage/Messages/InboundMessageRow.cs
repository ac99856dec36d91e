namespace BotEngine.Storage.Messages;

/// <summary>A client's message as the inbound write stores it.</summary>
public sealed record InboundMessageRow(
    string Id, string? DialogId, string ConversationId, string Channel, string? AuthorId, string? Text, string Activity, string? ChannelMessageId, long Now)
{
    public long Seq { get; init; }
}
