namespace BotEngine.Engine.Pipeline;

public sealed record OutboundDelivery(string MessageId, string ConversationId, string Channel, string ActivityJson);
