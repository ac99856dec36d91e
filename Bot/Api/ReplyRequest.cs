namespace BotEngine.Bot.Api;

/// <param name="Attachments">Ids of stored files (<c>POST /api/v1/files</c>) sent with the reply.</param>
public sealed record ReplyRequest(string? Text, string[]? Attachments = null);
