namespace BotEngine.Engine.Pipeline;

public abstract record FeedEvent
{
    public sealed record MessageStored(string DialogId, string ConversationId, string MessageId, string Direction, string Author, string? ReplyToId, long CreatedAt) : FeedEvent;
    public sealed record DialogChanged(string DialogId, string State, string? OperatorId) : FeedEvent;
    public sealed record ActivitiesAppended(string ConversationId) : FeedEvent;
}
