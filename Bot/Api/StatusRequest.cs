namespace BotEngine.Bot.Api;

public sealed record StatusRequest(string? Status);
