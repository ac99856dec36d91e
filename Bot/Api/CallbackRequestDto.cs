namespace BotEngine.Bot.Api;

public sealed record CallbackRequestDto(string Id, string DialogId, string ClientId, string? Line, Dictionary<string, string> Contacts, string State, DateTimeOffset CreatedAt);
