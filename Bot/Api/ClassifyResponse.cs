namespace BotEngine.Bot.Api;

public sealed record ClassifyResponse(IReadOnlyList<ClassifiedIntent> Intents, bool OutOfScope);
