using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;
using BotEngine.Storage.Agents;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Stores what the agent that owned a dialog must hear about it (<c>dialogClosed</c>, <c>returnedFromOperator</c>) in
/// the transaction of the operator's or timer's change, so the event exists exactly when the change does. The agent
/// call dispatcher delivers it later, outside that request, with retries, from any node (the durable outbox of agent
/// events: <c>agent_calls</c>).
/// </summary>
public sealed class AgentLifecycleEvents(AgentGateway gateway, TimeProvider time)
{
    /// <summary>
    /// The dialog was closed: its agent (owning it, or having handed it to operators) is told who closed it. False when
    /// no registered agent had it. <paramref name="before"/> is the dialog as it was before the close (its bot state).
    /// </summary>
    public async Task<bool> ClosedAsync(DbConnection c, DbTransaction t, StoredDialog before, string closedBy, AgentOperator? byOperator)
    {
        var state = BotResponder.ReadState(before.BotState);
        if ((state.ExternalAgentId ?? state.ReturnToAgentId) is not { } agentId)
            return false;
        // One close per dialog version: stable if the transaction runs again after a failed group commit.
        var eventId = $"{before.Id}-v{before.Version}-{AgentEventTypes.DialogClosed}";
        return await StoreAsync(c, t, before, await gateway.PrepareAsync(c, t, AgentEventTypes.DialogClosed, agentId, before, state, eventId, byOperator, closedBy));
    }

    /// <summary>
    /// An operator gave the dialog back to the bot and <paramref name="agentId"/> owns it again: it hears who and why,
    /// and its answer is applied like any other. <paramref name="returned"/> is the dialog after the transfer.
    /// </summary>
    public async Task<bool> ReturnedAsync(DbConnection c, DbTransaction t, StoredDialog returned, DialogState state, string agentId, AgentOperator byOperator)
    {
        // One event per return: the dialog's version after the transfer tells returns apart.
        var eventId = $"{returned.Id}-v{returned.Version}-{AgentEventTypes.ReturnedFromOperator}";
        // Not registered any more: the client's next message finds out and hands the dialog to operators.
        return await StoreAsync(c, t, returned, await gateway.PrepareAsync(c, t, AgentEventTypes.ReturnedFromOperator, agentId, returned, state, eventId, byOperator, null));
    }

    private async Task<bool> StoreAsync(DbConnection c, DbTransaction t, StoredDialog dialog, PendingAgentCall? call)
    {
        if (call is null)
            return false;
        await AgentCallStore.AddAsync(c, t, dialog, call, time.NowMicros());
        return true;
    }
}
