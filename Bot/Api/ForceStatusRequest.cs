namespace BotEngine.Bot.Api;

public sealed record ForceStatusRequest(string? Status);
