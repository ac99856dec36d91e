namespace BotEngine.Bot.Api;

public sealed record ClientChannelDto(string Channel, string AccountId, string? DisplayName);
