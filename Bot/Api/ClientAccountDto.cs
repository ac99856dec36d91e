namespace BotEngine.Bot.Api;

public sealed record ClientAccountDto(string Channel, string ChannelType, string AccountId, string? DisplayName, string? ConversationId, DateTimeOffset CreatedAt);
