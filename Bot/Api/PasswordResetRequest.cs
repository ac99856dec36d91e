namespace BotEngine.Bot.Api;

public sealed record PasswordResetRequest(string? NewPassword);
