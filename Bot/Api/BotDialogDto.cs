namespace BotEngine.Bot.Api;

public sealed record BotDialogDto(string Id, string ClientId, DateTimeOffset Since);
