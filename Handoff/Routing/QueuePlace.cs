namespace BotEngine.Handoff;

/// <summary>What the client is told: 1-based place in line and an estimate (null when nobody can serve it now).</summary>
public sealed record QueuePlace(string DialogId, int Position, TimeSpan? EstimatedWait);
