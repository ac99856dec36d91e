namespace BotEngine.Bot.Api;

/// <param name="Attachments">Ids of stored files (<c>POST /api/v1/files</c>) sent with the reply.</param>
/// <param name="ArticleId">The KB article this reply sends: the client's last message becomes a training example of it (operator choice).</param>
/// <param name="ConversationId">Which of the client's conversations (channels) the reply goes to; by default the one they last wrote from.</param>
public sealed record ReplyRequest(string? Text, string[]? Attachments = null, string? ArticleId = null, string? ConversationId = null);
