using BotEngine.Bot.Conversation;
using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Routing;
using BotEngine.Bot.Storage;
using BotEngine.KnowledgeBase;
using Dapper;

namespace BotEngine.Bot.Agents;

public enum CallbackOutcome
{
    Applied,
    /// <summary>The same callback id was applied before: nothing done again.</summary>
    Duplicate,
    UnknownDialog,
    /// <summary>The agent does not own the dialog (never did, or gave it back).</summary>
    NotOwner,
}

/// <summary>
/// Applies an external agent's asynchronous actions to a dialog exactly as a synchronous answer: messages, and
/// done / handoff / close. The dialog's version guards against a turn running at the same time.
/// </summary>
public sealed partial class AgentCallbacks(
    Database database,
    BotResponder responder,
    OutboundWriter writer,
    PlanWriter plans,
    CommitAnnouncer announcer,
    TimeProvider time,
    ILogger<AgentCallbacks> logger)
{
    private const int MaxConcurrencyRetries = 5;

    private enum Write
    {
        Done,
        Conflict,
    }

    public async Task<CallbackOutcome> ApplyAsync(string agentId, string dialogId, AgentResponse response, string? callbackId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (callbackId is not null && await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM agent_callbacks WHERE agent_id = @agentId AND callback_id = @callbackId", new { agentId, callbackId }), cancellationToken) > 0)
                return CallbackOutcome.Duplicate;
            var dialog = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<DialogRow>("SELECT * FROM dialogs WHERE id = @dialogId", new { dialogId }), cancellationToken);
            if (dialog is null)
                return CallbackOutcome.UnknownDialog;
            var state = BotResponder.ReadState(dialog.BotState);
            if (dialog.State != DialogStates.Bot || state.ExternalAgentId != agentId)
                return CallbackOutcome.NotOwner;

            var plan = responder.PlanAgentActions(dialog, AgentActions.Apply(response, state));
            var prepared = plan.Replies.Select(r => writer.Prepare(dialog, r, null)).ToList();
            var now = time.NowMicros();
            var (outcome, sent) = await database.WriteAsync(async (c, t) =>
            {
                var sent = await plans.TryWriteAsync(c, t, dialog, plan, prepared, countsAsActivity: true);
                if (sent is null)
                    return (Write.Conflict, new List<MessageRow>());
                if (callbackId is not null)
                {
                    await c.ExecuteAsync("""
                        INSERT INTO agent_callbacks (agent_id, callback_id, dialog_id, at) VALUES (@agentId, @callbackId, @Id, @now)
                        ON CONFLICT (agent_id, callback_id) DO NOTHING
                        """, new { agentId, callbackId, dialog.Id, now }, t);
                }
                return (Write.Done, sent);
            }, cancellationToken);

            if (outcome == Write.Conflict)
            {
                if (attempt >= MaxConcurrencyRetries)
                    throw new InvalidOperationException($"Dialog {dialogId} kept changing while agent {agentId}'s actions were applied.");
                LogConcurrencyRetry(logger, dialogId, attempt);
                continue;
            }

            await announcer.AnnounceAsync(dialog, sent, plan.Handoff is not null, plan.Close, cancellationToken);
            return CallbackOutcome.Applied;
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Debug, Message = "Dialog {DialogId} changed while agent actions were applied; retry {Attempt}")]
    private static partial void LogConcurrencyRetry(ILogger logger, string dialogId, int attempt);
}
