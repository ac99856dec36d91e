namespace BotEngine.Engine.Pipeline;

public sealed record OutboundDelivery(string MessageId, string ConversationId, string Channel, string ActivityJson)
{
    /// <summary>
    /// The position in the conversation's stream that the write storing the message already took for it (a turn
    /// planned ahead takes its replies' with its message's); null when the delivery takes the next one itself.
    /// </summary>
    public long? StreamSeq { get; init; }
}
