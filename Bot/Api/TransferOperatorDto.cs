namespace BotEngine.Bot.Api;

public sealed record TransferOperatorDto(string Id, string DisplayName);
