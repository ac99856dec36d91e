using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Feeds dialog events to the timer policy inside the caller's transaction: stores the new timer state, replaces
/// the dialog's due timers (a table, so they survive restarts and move to a surviving node), and performs what
/// fell due: a message to the client, back to the queue, detach, or close (the external agent that had the dialog
/// is told, through its durable event outbox).
/// </summary>
public sealed class DialogTimers(TimerPolicy policy, DialogActions actions, OutboundWriter writer, SystemTexts texts, AgentLifecycleEvents agentEvents)
{
    public async Task<TimerEffects> ApplyAsync(DbConnection c, DbTransaction t, StoredDialog row, TimerEvent e) =>
        await ApplyAsync(c, t, row, e, await CallCentreStore.LoadSettingsAsync(c, t, row.CallCentre ?? CallCentres.Default));

    /// <summary>As above, with the call centre's settings already read (a routing pass reads them once).</summary>
    public async Task<TimerEffects> ApplyAsync(DbConnection c, DbTransaction t, StoredDialog row, TimerEvent e, CallCentreSettings settings)
    {
        var outcome = policy.Handle(DialogTimerStore.ReadState(row), e, settings.Timers);
        if (outcome.Stale)
            return new TimerEffects([], false, false);
        await DialogTimerStore.SaveAsync(c, t, row.Id, outcome);

        var sent = new List<StoredMessage>();
        var requeued = false;
        var released = false;
        var agentCalled = false;
        foreach (var action in outcome.Actions)
        {
            var current = await HandoffStore.LoadRowAsync(c, t, row.Id) ?? row;
            switch (action)
            {
                case TimerAction.SendToClient send:
                    sent.Add(await writer.AppendAsync(c, t, current, BotResponder.SystemMessage(send.Text), null));
                    break;
                case TimerAction.Requeue:
                    requeued |= await TransitionAsync(c, t, current, actions.Requeue(HandoffStore.ToDialog(current), RequeueReason.OperatorTimeout), new TimerEvent.Released());
                    released = true;
                    break;
                case TimerAction.Detach detach:
                    if (detach.Message is { Length: > 0 } detachText)
                        sent.Add(await writer.AppendAsync(c, t, current, BotResponder.SystemMessage(detachText), null));
                    released |= await TransitionAsync(c, t, current, actions.Detach(HandoffStore.ToDialog(current)), new TimerEvent.Released());
                    break;
                case TimerAction.Close close:
                    sent.Add(await writer.AppendAsync(c, t, current,
                        BotResponder.SystemMessage(close.Message is { Length: > 0 } closeText ? closeText : texts.Get("dialog.closed", current.Language)), null));
                    if (await TransitionAsync(c, t, current, actions.CloseBySystem(HandoffStore.ToDialog(current), close.Reason), new TimerEvent.Closed()))
                    {
                        released = true;
                        agentCalled |= await agentEvents.ClosedAsync(c, t, current, KnowledgeBase.AgentClosers.Timer, null);
                    }
                    break;
            }
        }
        return new TimerEffects(sent, requeued, released, agentCalled);
    }

    private async Task<bool> TransitionAsync(DbConnection c, DbTransaction t, StoredDialog row, HandoffResult<DialogTransition> result, TimerEvent follow)
    {
        if (!result.IsSuccess || !await HandoffStore.SaveAsync(c, t, result.Value, row.Version))
            return false;
        var settings = await CallCentreStore.LoadSettingsAsync(c, t, row.CallCentre ?? CallCentres.Default);
        await DialogTimerStore.SaveAsync(c, t, row.Id, policy.Handle(DialogTimerStore.ReadState(row), follow, settings.Timers));
        return true;
    }

    /// <summary>
    /// Adds the timer change of an event that performs nothing at once (it only sets or clears timers) to a batch;
    /// false, adding nothing, when the event has something due now, which needs <see cref="ApplyAsync(DbConnection, DbTransaction, StoredDialog, TimerEvent, CallCentreSettings)"/>.
    /// </summary>
    public bool TryAddQuiet(SqlBatch batch, StoredDialog row, TimerEvent e, CallCentreSettings settings)
    {
        var outcome = policy.Handle(DialogTimerStore.ReadState(row), e, settings.Timers);
        if (outcome.Actions.Count > 0)
            return false;
        if (!outcome.Stale)
            DialogTimerStore.AddSave(batch, row.Id, outcome);
        return true;
    }
}
