namespace BotEngine.Handoff;

public enum OperatorStatus
{
    Offline,
    Online,
    /// <summary>Takes no new dialogs but finishes current ones; leaving it goes through offline.</summary>
    Invisible,
    /// <summary>Current dialogs return to the queue.</summary>
    Lunch,
    /// <summary>Current dialogs return to the queue.</summary>
    Training,
}

public static class OperatorStatusNames
{
    public static string ToName(this OperatorStatus status) => status switch
    {
        OperatorStatus.Offline => "offline",
        OperatorStatus.Online => "online",
        OperatorStatus.Invisible => "invisible",
        OperatorStatus.Lunch => "lunch",
        OperatorStatus.Training => "training",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string name, out OperatorStatus status)
    {
        foreach (var s in Enum.GetValues<OperatorStatus>())
        {
            if (string.Equals(s.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = s;
                return true;
            }
        }

        status = default;
        return false;
    }
}

/// <summary>One row of the status history, kept for statistics.</summary>
public sealed record StatusChange(string OperatorId, OperatorStatus From, OperatorStatus To, DateTimeOffset At, string? ChangedBy = null);

/// <summary>
/// The outcome of a status change: the record to store and the dialogs that must go back to the queue
/// (the host requeues them with <see cref="DialogActions.Requeue"/> in the same transaction).
/// </summary>
public sealed record StatusTransition(StatusChange Change, IReadOnlyList<string> RequeueDialogIds)
{
    /// <summary>True when the operator may now receive dialogs, so the host should run routing for them.</summary>
    public bool CanReceiveDialogs => Change.To == OperatorStatus.Online;
}

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
