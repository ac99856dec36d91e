namespace BotEngine.Storage.Messages;

/// <summary>A client's activity as the inbound write stores it; <paramref name="ActivityType"/> tells messages from typing, events and conversation updates.</summary>
public sealed record InboundMessageRow(
    string Id, string? DialogId, string ConversationId, string Channel, string? AuthorId, string? Text, string Activity, string ActivityType,
    string? ChannelMessageId, long Now)
{
    public long Seq { get; init; }
}
