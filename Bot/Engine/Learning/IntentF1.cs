namespace BotEngine.Engine.Learning;

/// <summary>One intent's cross-validated F1 and its support (held-out examples of it).</summary>
public sealed record IntentF1(int Support, double F1);
