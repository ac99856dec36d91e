namespace BotEngine.Bot.Api;

public sealed record ClassifyRequest(string? Text);
