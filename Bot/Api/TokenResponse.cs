namespace BotEngine.Bot.Api;

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, string OperatorId);
