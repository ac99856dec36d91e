namespace BotEngine.Handoff;

/// <summary>The operator status state machine; pure, the caller supplies the time.</summary>
public static class OperatorStatusMachine
{
    public static bool IsAllowed(OperatorStatus from, OperatorStatus to) => (from, to) switch
    {
        _ when from == to => false,
        // Invisible is a way out of work: the operator must pass through offline to come back.
        (OperatorStatus.Invisible, _) => to == OperatorStatus.Offline,
        (OperatorStatus.Offline, OperatorStatus.Online or OperatorStatus.Invisible) => true,
        (OperatorStatus.Offline, _) => false,
        _ => true,
    };

    /// <summary>Whether current dialogs stay with the operator in this status.</summary>
    public static bool KeepsDialogs(OperatorStatus status) => status is OperatorStatus.Online or OperatorStatus.Invisible;

    /// <summary>Validates and describes a change requested by the operator.</summary>
    public static HandoffResult<StatusTransition> Change(
        string operatorId, OperatorStatus from, OperatorStatus to, IReadOnlyCollection<string> currentDialogIds, DateTimeOffset at)
    {
        if (from == to)
        {
            return HandoffError.Conflict("status.unchanged", $"Operator is already {to.ToName()}.");
        }

        if (!IsAllowed(from, to))
        {
            var hint = from == OperatorStatus.Invisible ? " Go offline first." : string.Empty;
            return HandoffError.Conflict("status.transition", $"Cannot change status from {from.ToName()} to {to.ToName()}.{hint}");
        }

        return Build(operatorId, from, to, currentDialogIds, at, null);
    }

    /// <summary>A supervisor forces an operator offline from any status; their dialogs go back to the queue.</summary>
    public static HandoffResult<StatusTransition> ForceOffline(
        OperatorProfile supervisor, string operatorId, OperatorStatus from, IReadOnlyCollection<string> currentDialogIds, DateTimeOffset at)
    {
        var allowed = supervisor.Require(Permission.ViewMonitoring);
        if (!allowed.IsSuccess)
        {
            return allowed.Error!;
        }

        if (from == OperatorStatus.Offline)
        {
            return HandoffError.Conflict("status.unchanged", "Operator is already offline.");
        }

        return Build(operatorId, from, OperatorStatus.Offline, currentDialogIds, at, supervisor.Id);
    }

    private static StatusTransition Build(
        string operatorId, OperatorStatus from, OperatorStatus to, IReadOnlyCollection<string> dialogs, DateTimeOffset at, string? by) =>
        new(new StatusChange(operatorId, from, to, at, by), KeepsDialogs(to) ? [] : dialogs.ToArray());
}
