namespace BotEngine.Bot.Api;

public sealed record TokenRequest(string? Login, string? Password);
