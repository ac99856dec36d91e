namespace BotEngine.Handoff;

public enum TimerKind
{
    OperatorResponse,
    ClientReminder,
    ClientDetach,
    ClientAutoClose,
    HoldOperator,
    HoldClient,
    Idle,
}

public enum HoldKind
{
    /// <summary>Started by a hold pattern: the operator is busy finding an answer.</summary>
    Operator,
    /// <summary>Started by any other operator message: waiting for the client.</summary>
    Client,
}

public sealed record HoldState(HoldKind Kind, DateTimeOffset StartedAt);

/// <summary>A timer the host stores (one row per dialog and kind) and fires when due.</summary>
public sealed record DueTimer(TimerKind Kind, DateTimeOffset DueAt);

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

public abstract record TimerEvent
{
    /// <summary>The dialog was given to an operator (routing or re-attach).</summary>
    public sealed record Assigned : TimerEvent;
    public sealed record ClientMessage : TimerEvent;
    public sealed record OperatorMessage(string? Text) : TimerEvent;
    public sealed record CancelHold : TimerEvent;
    /// <summary>The dialog left the operator (transfer, requeue, back to the bot): operator timers stop.</summary>
    public sealed record Released : TimerEvent;
    public sealed record Closed : TimerEvent;
    public sealed record Fired(TimerKind Kind) : TimerEvent;
}

/// <summary>Something the host must do as a result of a timer; it applies them through <see cref="DialogActions"/>.</summary>
public abstract record TimerAction
{
    public sealed record SendToClient(string Text) : TimerAction;
    /// <summary>Call <see cref="DialogActions.Requeue"/> with <see cref="RequeueReason.OperatorTimeout"/>.</summary>
    public sealed record Requeue : TimerAction;
    /// <summary>Call <see cref="DialogActions.Detach"/>; send the message first when there is one.</summary>
    public sealed record Detach(string? Message) : TimerAction;
    /// <summary>Call <see cref="DialogActions.CloseBySystem"/>; send the message first when there is one.</summary>
    public sealed record Close(CloseReason Reason, string? Message) : TimerAction;
}

/// <summary>
/// The new state, the complete set of timers that should now exist for the dialog (the host replaces its rows
/// with these) and the actions to perform. <paramref name="Stale"/> marks a fired timer that no longer applies.
/// </summary>
public sealed record TimerOutcome(TimerState State, IReadOnlyList<DueTimer> Timers, IReadOnlyList<TimerAction> Actions, bool Stale = false);

/// <summary>The timeout and hold rules of issue item 5, as a pure function of state, event and time.</summary>
public sealed class TimerPolicy(TimeProvider time)
{
    public TimerOutcome Handle(TimerState state, TimerEvent e, TimerSettings settings) => Apply(state, e, settings, time.GetUtcNow());

    public static TimerOutcome Apply(TimerState state, TimerEvent e, TimerSettings settings, DateTimeOffset now)
    {
        if (state.Closed)
        {
            return new TimerOutcome(state, [], [], e is TimerEvent.Fired);
        }

        switch (e)
        {
            case TimerEvent.Assigned:
                return Done(new TimerState { WithOperator = true, AwaitingOperatorSince = now, LastActivityAt = now }, settings);

            case TimerEvent.ClientMessage:
            {
                var s = state with
                {
                    LastActivityAt = now,
                    AwaitingClientSince = null,
                    ReminderSent = false,
                    // A client answer ends a "waiting for client" hold, never an operator's hold.
                    Hold = state.Hold is { Kind: HoldKind.Client } ? null : state.Hold,
                };
                if (state.Detached)
                {
                    // The host re-queues the dialog; the next Assigned event restarts operator timers.
                    s = s with { Detached = false, WithOperator = false, AwaitingOperatorSince = null, Hold = null };
                }
                else if (s.WithOperator && s.AwaitingOperatorSince is null)
                {
                    s = s with { AwaitingOperatorSince = now };
                }

                return Done(s, settings);
            }

            case TimerEvent.OperatorMessage m:
            {
                var hold = settings.IsHoldPattern(m.Text);
                var s = state with
                {
                    LastActivityAt = now,
                    AwaitingOperatorSince = null,
                    AwaitingClientSince = hold ? null : now,
                    ReminderSent = false,
                    Hold = hold ? new HoldState(HoldKind.Operator, now)
                        : settings.HoldClientTimeout is not null ? new HoldState(HoldKind.Client, now)
                        : null,
                };
                return Done(s, settings);
            }

            case TimerEvent.CancelHold:
                return Done(state with { Hold = null }, settings);

            case TimerEvent.Released:
                return Done(new TimerState { LastActivityAt = state.LastActivityAt }, settings);

            case TimerEvent.Closed:
                return new TimerOutcome(new TimerState { Closed = true, LastActivityAt = state.LastActivityAt }, [], []);

            case TimerEvent.Fired f:
                return Fire(state, f.Kind, settings, now);

            default:
                throw new ArgumentOutOfRangeException(nameof(e), e, "Unknown timer event.");
        }
    }

    /// <summary>The timers that should exist for <paramref name="state"/>: what the host keeps in its timer table.</summary>
    public static IReadOnlyList<DueTimer> DueTimers(TimerState state, TimerSettings settings)
    {
        var due = new List<DueTimer>();
        if (state.Closed)
        {
            return due;
        }

        var holdingForOperator = state.Hold is { Kind: HoldKind.Operator };
        if (state.WithOperator && !holdingForOperator && state.AwaitingOperatorSince is { } ao && settings.OperatorResponseTimeout is { } ort)
        {
            due.Add(new DueTimer(TimerKind.OperatorResponse, ao + ort));
        }

        if (state.AwaitingClientSince is { } ac)
        {
            if (state.WithOperator && !state.ReminderSent && settings.ClientReminderAfter is { } rem)
            {
                due.Add(new DueTimer(TimerKind.ClientReminder, ac + rem));
            }

            if (state.WithOperator && settings.ClientDetachAfter is { } det)
            {
                due.Add(new DueTimer(TimerKind.ClientDetach, ac + det));
            }

            if ((state.WithOperator || state.Detached) && settings.ClientAutoCloseAfter is { } close)
            {
                due.Add(new DueTimer(TimerKind.ClientAutoClose, ac + close));
            }
        }

        if (state.WithOperator && state.Hold is { } h)
        {
            var (kind, span) = h.Kind == HoldKind.Operator
                ? (TimerKind.HoldOperator, settings.HoldOperatorTimeout)
                : (TimerKind.HoldClient, settings.HoldClientTimeout);
            if (span is { } hs)
            {
                due.Add(new DueTimer(kind, h.StartedAt + hs));
            }
        }

        if ((state.WithOperator || state.Detached) && state.LastActivityAt is { } last && settings.IdleTimeout is { } idle)
        {
            due.Add(new DueTimer(TimerKind.Idle, last + idle));
        }

        return due;
    }

    private static TimerOutcome Fire(TimerState state, TimerKind kind, TimerSettings settings, DateTimeOffset now)
    {
        // A timer row can outlive the fact that armed it (the host may fire late or twice, or on another node):
        // act only if the current state still has this timer due.
        var current = DueTimers(state, settings).FirstOrDefault(t => t.Kind == kind);
        if (current is null || current.DueAt > now)
        {
            return Done(state, settings, [], stale: true);
        }

        switch (kind)
        {
            case TimerKind.OperatorResponse:
                return Done(new TimerState { LastActivityAt = state.LastActivityAt }, settings, [new TimerAction.Requeue()]);

            case TimerKind.ClientReminder:
                return Done(state with { ReminderSent = true }, settings, [new TimerAction.SendToClient(settings.ClientReminderMessage!)]);

            case TimerKind.ClientDetach:
                var detached = state with { WithOperator = false, Detached = true, AwaitingOperatorSince = null, Hold = null };
                return Done(detached, settings, [new TimerAction.Detach(settings.ClientDetachMessage)]);

            case TimerKind.ClientAutoClose:
                return Closed(state, [new TimerAction.Close(CloseReason.ClientTimeout, settings.ClientAutoCloseMessage)]);

            case TimerKind.HoldOperator:
                // Client messages written during the hold get a fresh response window from the hold message on.
                var held = state with { Hold = null, AwaitingOperatorSince = state.AwaitingOperatorSince is null ? null : now };
                return Done(held, settings, [new TimerAction.SendToClient(settings.HoldOperatorMessage!)]);

            case TimerKind.HoldClient:
                return Done(state with { Hold = null }, settings, [new TimerAction.SendToClient(settings.HoldClientMessage!)]);

            case TimerKind.Idle:
                return Closed(state, [new TimerAction.Close(CloseReason.Idle, settings.IdleCloseMessage)]);

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown timer kind.");
        }
    }

    private static TimerOutcome Closed(TimerState state, IReadOnlyList<TimerAction> actions) =>
        new(new TimerState { Closed = true, LastActivityAt = state.LastActivityAt }, [], actions);

    private static TimerOutcome Done(TimerState state, TimerSettings settings, IReadOnlyList<TimerAction>? actions = null, bool stale = false) =>
        new(state, DueTimers(state, settings), actions ?? [], stale);
}
