namespace BotEngine.Engine.Learning;

/// <summary>What a candidate does to one intent against the live model, on the same held-out examples: F1 of each and the change.</summary>
public sealed record IntentDelta(string Intent, int Support, double Candidate, double Live, double Delta);
