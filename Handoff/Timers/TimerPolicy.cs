namespace BotEngine.Handoff;

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
