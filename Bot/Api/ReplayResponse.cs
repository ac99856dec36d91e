namespace BotEngine.Bot.Api;

public sealed record ReplayResponse(string MessageId, string ConversationId);
