namespace BotEngine.Bot.Api;

public sealed record ProcessingErrorDto(string Kind, string? Subject, string Message, DateTimeOffset At);
