using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Handoff;
using BotEngine.Storage;
using BotEngine.Storage.Desk;

namespace BotEngine.Engine.Desk;

/// <summary>
/// A supervisor moves a waiting dialog to an operator by hand, past the routing requirements (that is the point) but
/// not past the operator's status and capacity: the operator must be online with a free slot. The dialog is offered to
/// them as routing would, under the routing lock, and a <c>moved</c> event records which supervisor did it.
/// </summary>
public sealed class SupervisorAssignment(Database database, DeskLocks locks, DialogActions actions, DialogTimers timers, EffectsPublisher effects, TimeProvider time)
{
    public async Task AssignAsync(string supervisorId, string dialogId, string? operatorId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(operatorId))
            throw new DeskException(400, "operatorId: required (the operator to give the dialog to).");
        var sent = await database.WriteAsync(async (c, t) =>
        {
            await locks.LockRoutingAsync(c, t);
            var row = await HandoffStore.LoadRowAsync(c, t, dialogId) ?? throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
            var supervisor = await OperatorStore.LoadAsync(c, t, supervisorId) ?? throw new DeskException(404, "The supervisor no longer exists.");
            var scope = MonitoringScope.Of(HandoffStore.Routing(supervisor));
            if (!scope.CoversDialog(row.CallCentre, row.Language, row.Line))
                throw new DeskException(403, $"Dialog '{dialogId}' is outside your call centres, languages and lines.", "assign.out_of_scope");
            var dialog = HandoffStore.ToDialog(row);
            if (dialog.ToQueued() is null)
                throw new DeskException(409, $"Dialog '{dialogId}' is {dialog.State.ToString().ToLowerInvariant()}, not waiting in the queue.", "dialog.not_queued");
            var target = await OperatorStore.LoadAsync(c, t, operatorId) ?? throw new DeskException(404, $"operatorId: operator '{operatorId}' does not exist.");
            if (!scope.CoversOperator(HandoffStore.Routing(target)))
                throw new DeskException(403, $"Operator '{target.Login}' works outside your call centres, languages and lines.", "assign.out_of_scope");
            if (target.DisabledAt is not null)
                throw new DeskException(409, $"Operator '{target.Login}' is disabled.", "assign.disabled");
            var snapshot = (await QueueReading.WorkingOperatorsAsync(c, t)).FirstOrDefault(o => o.OperatorId == operatorId);
            if (snapshot is null || snapshot.Status != OperatorStatus.Online)
                throw new DeskException(409, $"Operator '{target.Login}' is not online.", "assign.not_online");
            if (snapshot.FreeSlots == 0)
                throw new DeskException(409, $"Operator '{target.Login}' already holds {snapshot.ActiveDialogs} dialogs, their limit.", "assign.no_capacity");
            var assigned = actions.Assign(dialog, new Assignment(dialogId, operatorId, AssignmentReason.MovedBySupervisor, false));
            if (!assigned.IsSuccess)
                throw DeskException.From(assigned.Error!);
            if (!await HandoffStore.SaveAsync(c, t, assigned.Value, row.Version))
                throw new DeskException(409, $"Dialog '{dialogId}' changed meanwhile; reload and try again.", "dialog.changed");
            await MonitoringStore.RecordMoveAsync(c, t, dialogId, supervisorId, operatorId, time.NowMicros());
            return (await timers.ApplyAsync(c, t, (await HandoffStore.LoadRowAsync(c, t, dialogId))!, new TimerEvent.Assigned())).Sent;
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [new FeedEvent.DialogChanged(dialogId, DialogStates.Assigned, operatorId)],
        }, cancellationToken);
    }
}
