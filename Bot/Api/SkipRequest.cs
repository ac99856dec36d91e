namespace BotEngine.Bot.Api;

public sealed record SkipRequest(string[]? MessageIds);
