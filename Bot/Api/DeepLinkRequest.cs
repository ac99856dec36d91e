namespace BotEngine.Bot.Api;

public sealed record DeepLinkRequest(string? Channel);
