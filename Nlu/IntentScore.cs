namespace BotEngine.Nlu;

public sealed record IntentScore(string Intent, double Confidence);
