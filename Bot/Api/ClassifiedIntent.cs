namespace BotEngine.Bot.Api;

public sealed record ClassifiedIntent(string Intent, double Confidence);
