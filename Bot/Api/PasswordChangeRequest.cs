namespace BotEngine.Bot.Api;

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);
