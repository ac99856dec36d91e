namespace BotEngine.Handoff;

/// <summary>A dialog waiting in the queue, as read from storage at the start of a routing pass.</summary>
public sealed record QueuedDialog(string DialogId, string ClientId, RoutingRequirements Requirements, DateTimeOffset QueuedAt);

/// <summary>
/// An operator as read at the start of a routing pass. <paramref name="ActiveDialogs"/> counts every dialog
/// the operator holds (offered or accepted); <paramref name="IdleSince"/> is when they last received a dialog
/// or came online, whichever is later (ties go to the longest idle).
/// </summary>
public sealed record OperatorSnapshot(string OperatorId, OperatorStatus Status, RoutingProfile Routing, int ActiveDialogs, DateTimeOffset IdleSince)
{
    public int FreeSlots => Math.Max(0, Routing.MaxConcurrentDialogs - ActiveDialogs);

    /// <summary>Online, matching and with a free slot; exclusions and the transfer target are honoured.</summary>
    public bool IsEligibleFor(RoutingRequirements r) =>
        Status == OperatorStatus.Online
        && FreeSlots > 0
        && !r.ExcludedOperators.Contains(OperatorId)
        && (r.TargetOperator is null ? Routing.Matches(r) : r.TargetOperator == OperatorId);
}

public sealed record QueueSnapshot(IReadOnlyList<QueuedDialog> Dialogs)
{
    public static QueueSnapshot Empty { get; } = new([]);
}

public enum AssignmentReason
{
    /// <summary>One of the client's previous (preferred) operators.</summary>
    PreferredOperator,
    /// <summary>The operator a transfer named.</summary>
    TransferTarget,
    /// <summary>Least loaded, then longest idle.</summary>
    LeastLoaded,
    /// <summary>Only an operator the dialog would rather avoid was eligible.</summary>
    AvoidedFallback,
    /// <summary>The operator took it from the queue by hand.</summary>
    TakenByOperator,
    /// <summary>A supervisor moved it from the queue to the operator by hand.</summary>
    MovedBySupervisor,
}

public sealed record Assignment(string DialogId, string OperatorId, AssignmentReason Reason, bool Overflowed);

/// <summary>
/// The result of a routing pass: assignments in queue order, and the dialogs still waiting in queue order.
/// Applying all assignments never puts an operator over capacity, given the snapshot was current.
/// </summary>
public sealed record RoutingDecision(IReadOnlyList<Assignment> Assignments, IReadOnlyList<QueuedDialog> Waiting);

public sealed record RoutingOptions
{
    /// <summary>Try the client's previous operators first (the switchable setting).</summary>
    public bool PreferPreviousOperators { get; init; } = true;
}
