namespace BotEngine.Handoff;

/// <summary>
/// The new state, the complete set of timers that should now exist for the dialog (the host replaces its rows
/// with these) and the actions to perform. <paramref name="Stale"/> marks a fired timer that no longer applies.
/// </summary>
public sealed record TimerOutcome(TimerState State, IReadOnlyList<DueTimer> Timers, IReadOnlyList<TimerAction> Actions, bool Stale = false);
