namespace BotEngine.Bot.Api;

/// <summary>A message of an exported dialog.</summary>
public sealed record ExportMessageDto(string Id, string Direction, string Author, string? AuthorId, string? Text, string Channel, DateTimeOffset CreatedAt);
