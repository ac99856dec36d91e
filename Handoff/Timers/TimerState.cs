namespace BotEngine.Handoff;

/// <summary>
/// The timer facts of one dialog; the host stores it with the dialog (e.g. as JSON) and passes it back on every event.
/// Due times are derived from it, so it is the single source of truth and a restart loses nothing.
/// </summary>
public sealed record TimerState
{
    /// <summary>Assigned to or talking with an operator.</summary>
    public bool WithOperator { get; init; }
    public bool Detached { get; init; }
    public bool Closed { get; init; }
    /// <summary>Since when the operator owes an answer (assignment or first unanswered client message).</summary>
    public DateTimeOffset? AwaitingOperatorSince { get; init; }
    /// <summary>Since when the client owes an answer (the operator's last non-hold message).</summary>
    public DateTimeOffset? AwaitingClientSince { get; init; }
    public bool ReminderSent { get; init; }
    public HoldState? Hold { get; init; }
    /// <summary>The last message from either side (system messages do not count).</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    public static TimerState Initial { get; } = new();
}
