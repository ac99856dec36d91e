namespace BotEngine.Bot.Api;

public sealed record ValidationErrorDto(string Path, string Message);
