using System.Text.Json;

namespace BotEngine.Bot.Api;

public sealed record MessageDto(string Id, string Direction, string Author, string? AuthorId, string? Text, DateTimeOffset CreatedAt, JsonElement Activity);
