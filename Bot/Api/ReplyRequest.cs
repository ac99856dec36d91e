namespace BotEngine.Bot.Api;

/// <param name="Attachments">Ids of stored files (<c>POST /api/v1/files</c>) sent with the reply.</param>
/// <param name="ArticleId">The KB article this reply sends: the client's last message becomes a training example of it (operator choice).</param>
public sealed record ReplyRequest(string? Text, string[]? Attachments = null, string? ArticleId = null);
