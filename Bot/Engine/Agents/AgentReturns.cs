using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Stores the call that tells the agent the dialog is back (<c>returnedFromOperator</c>); the dispatcher makes it and
/// applies the answer like any agent call. The ownership is already stored when this runs: if the call is never
/// stored (a crash in between), the client's next message goes to the agent all the same.
/// </summary>
public sealed class AgentReturns(Database database, AgentDialogStore dialogs, AgentGateway gateway, AgentCallSignal signal, TimeProvider time)
{
    public async Task NotifyAsync(AgentReturn back, CancellationToken cancellationToken)
    {
        var dialog = await dialogs.FindAsync(back.DialogId, cancellationToken);
        if (dialog is null)
            return;
        var state = BotResponder.ReadState(dialog.BotState);
        if (state.ExternalAgentId != back.AgentId)
            return; // something else happened to the dialog meanwhile
        // One event per return: the dialog's version after the transfer tells returns apart and is stable on retries.
        var eventId = $"{dialog.Id}-v{dialog.Version}-{AgentEventTypes.ReturnedFromOperator}";
        var call = await gateway.PrepareAsync(AgentEventTypes.ReturnedFromOperator, back.AgentId, dialog, state, dialog.Language, eventId, null, null, null,
            new AgentOperator { Id = back.OperatorId, Name = back.OperatorName, Note = back.Note }, waitNoticeGiven: true, cancellationToken);
        if (call is null)
            return; // not registered: the client's next message finds out and hands the dialog to operators
        await database.WriteAsync((c, t) => AgentCallStore.AddAsync(c, t, dialog, call, time.NowMicros()), cancellationToken);
        signal.Request();
    }
}
