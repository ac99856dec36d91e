using BotEngine.Bot.Conversation;
using BotEngine.Bot.Storage;
using BotEngine.KnowledgeBase;
using Dapper;

namespace BotEngine.Bot.Agents;

/// <summary>An operator gave a dialog back to the bot, and the external agent that handed it over owns it again.</summary>
public sealed record AgentReturn(string DialogId, string AgentId, string OperatorId, string? OperatorName, string? Note);

/// <summary>
/// Tells the agent the dialog is back (<c>returnedFromOperator</c>) and applies its answer like a callback. The
/// ownership is already stored when this runs: if the agent cannot be reached, the client's next message goes to
/// it, and its failure then hands the dialog to operators as on any turn.
/// </summary>
public sealed partial class AgentReturns(Database database, AgentGateway gateway, AgentCallbacks callbacks, ILogger<AgentReturns> logger)
{
    public async Task NotifyAsync(AgentReturn back, CancellationToken cancellationToken)
    {
        var dialog = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<DialogRow>("SELECT * FROM dialogs WHERE id = @DialogId", back), cancellationToken);
        if (dialog is null)
            return;
        var state = BotResponder.ReadState(dialog.BotState);
        if (state.ExternalAgentId != back.AgentId)
            return; // something else happened to the dialog meanwhile
        // One event per return: the dialog's version after the transfer tells returns apart and is stable on retries.
        var eventId = $"{dialog.Id}-v{dialog.Version}-{AgentEventTypes.ReturnedFromOperator}";
        var result = await gateway.CallAsync(AgentEventTypes.ReturnedFromOperator, back.AgentId, dialog, state, dialog.Language, eventId, null, null,
            new AgentOperator { Id = back.OperatorId, Name = back.OperatorName, Note = back.Note }, cancellationToken);
        if (result.Status == AgentCallStatus.Answered)
            await callbacks.ApplyAsync(back.AgentId, dialog.Id, result.Response!, eventId, cancellationToken);
        else if (result.Status == AgentCallStatus.Failed)
            LogNotifyFailed(logger, dialog.Id, back.AgentId, result.Error);
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Dialog {DialogId} went back to agent {AgentId}, which did not take the event: {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, string dialogId, string agentId, string? error);
}
