namespace BotEngine.Handoff;

/// <summary>A timer the host stores (one row per dialog and kind) and fires when due.</summary>
public sealed record DueTimer(TimerKind Kind, DateTimeOffset DueAt);
