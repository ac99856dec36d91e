namespace BotEngine.Handoff;

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
