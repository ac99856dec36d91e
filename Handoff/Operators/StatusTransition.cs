namespace BotEngine.Handoff;

/// <summary>
/// The outcome of a status change: the record to store and the dialogs that must go back to the queue
/// (the host requeues them with <see cref="DialogActions.Requeue"/> in the same transaction).
/// </summary>
public sealed record StatusTransition(StatusChange Change, IReadOnlyList<string> RequeueDialogIds)
{
    /// <summary>True when the operator may now receive dialogs, so the host should run routing for them.</summary>
    public bool CanReceiveDialogs => Change.To == OperatorStatus.Online;
}
