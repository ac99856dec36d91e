using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Applies an external agent's actions to a dialog as a step of its own: messages, and done / handoff / close. The
/// actions come from an asynchronous callback or from the answer to a stored agent call. The dialog's version guards
/// against a turn or an operator changing it at the same time.
/// </summary>
public sealed partial class AgentCallbacks(
    Database database,
    AgentDialogStore dialogs,
    AgentCallbackStore callbackIds,
    BotResponder responder,
    OutboundWriter writer,
    PlanWriter plans,
    EffectsPublisher effects,
    AgentCallStore calls,
    TimeProvider time,
    ILogger<AgentCallbacks> logger)
{
    private const int MaxConcurrencyRetries = 5;

    private enum Write
    {
        Done,
        Conflict,
        Duplicate,
    }

    /// <summary>An asynchronous callback; a repeated <paramref name="callbackId"/> is applied once.</summary>
    public Task<CallbackOutcome> ApplyAsync(string agentId, string dialogId, AgentResponse response, string? callbackId, CancellationToken cancellationToken) =>
        ApplyCoreAsync(agentId, dialogId, (_, state) => AgentActions.Apply(response, state), replyToId: null,
            appliedBefore: callbackId is null ? null : () => callbackIds.WasAppliedAsync(agentId, callbackId, cancellationToken),
            claim: null,
            record: callbackId is null ? null : (c, t) => AgentCallbackStore.RecordAsync(c, t, agentId, callbackId, dialogId, time.NowMicros()),
            cancellationToken);

    /// <summary>
    /// The end of a stored agent call (its answer, or its failure as <paramref name="decide"/> says), applied and the
    /// call finished in one transaction, so a call answered twice (two nodes) changes the dialog once.
    /// </summary>
    public Task<CallbackOutcome> ApplyCallAsync(AgentCallRow call, string outcome, string? error, Func<DialogState, TurnResult> decide, CancellationToken cancellationToken) =>
        ApplyCoreAsync(call.AgentId, call.DialogId, (_, state) => decide(state), call.MessageId,
            appliedBefore: null,
            claim: (c, t) => calls.LockOpenAsync(c, t, call.Id),
            record: (c, t) => calls.FinishAsync(c, t, call.Id, outcome, error),
            cancellationToken);

    /// <summary>
    /// The agent owed an answer to <paramref name="call"/> and its answer timeout ran out: <paramref name="decide"/>
    /// (the fallback, with the engine's words to the client) applied, unless an answer came or the dialog left the agent meanwhile.
    /// </summary>
    public Task<CallbackOutcome> ApplyOverdueAsync(AgentCallRow call, Func<StoredDialog, DialogState, TurnResult> decide, CancellationToken cancellationToken) =>
        ApplyCoreAsync(call.AgentId, call.DialogId, decide, replyToId: null,
            appliedBefore: null,
            claim: (c, t) => AgentCallStore.ClaimOverdueAsync(c, t, call.Id),
            record: null,
            cancellationToken,
            agentSpeaks: false);

    /// <param name="agentSpeaks">The messages are the agent's own words (shown with its name), not the engine's.</param>
    private async Task<CallbackOutcome> ApplyCoreAsync(
        string agentId, string dialogId, Func<StoredDialog, DialogState, TurnResult> decide, string? replyToId,
        Func<Task<bool>>? appliedBefore,
        Func<DbConnection, DbTransaction, Task<bool>>? claim,
        Func<DbConnection, DbTransaction, Task>? record,
        CancellationToken cancellationToken,
        bool agentSpeaks = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (appliedBefore is not null && await appliedBefore())
                return CallbackOutcome.Duplicate;
            var dialog = await dialogs.FindAsync(dialogId, cancellationToken);
            if (dialog is null)
                return CallbackOutcome.UnknownDialog;
            var state = BotResponder.ReadState(dialog.BotState);
            if (dialog.State != DialogStates.Bot || state.ExternalAgentId != agentId)
                return CallbackOutcome.NotOwner;

            var plan = responder.PlanAgentActions(dialog, decide(dialog, state), agentSpeaks ? agentId : null);
            var prepared = plan.Replies.Select(r => writer.Prepare(dialog, r, replyToId)).ToList();
            var (outcome, sent) = await database.WriteAsync(async (c, t) =>
            {
                if (claim is not null && !await claim(c, t))
                    return (Write.Duplicate, new List<StoredMessage>());
                var sent = await plans.TryWriteAsync(c, t, dialog, plan, prepared, countsAsActivity: true);
                if (sent is null)
                    return (Write.Conflict, new List<StoredMessage>());
                if (record is not null)
                    await record(c, t);
                // Whatever the agent owed in this dialog is settled: it answered, or the dialog went elsewhere.
                await AgentCallStore.ForgetAwaitedAnswersAsync(c, t, dialogId);
                return (Write.Done, sent);
            }, cancellationToken);

            if (outcome == Write.Duplicate)
                return CallbackOutcome.Duplicate;
            if (outcome == Write.Conflict)
            {
                if (attempt >= MaxConcurrencyRetries)
                    throw new InvalidOperationException($"Dialog {dialogId} kept changing while agent {agentId}'s actions were applied.");
                LogConcurrencyRetry(logger, dialogId, attempt);
                continue;
            }

            await effects.PublishAsync(CommittedEffects.OfTurn(dialog, sent, plan.Handoff is not null, plan.Close), cancellationToken);
            return CallbackOutcome.Applied;
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Debug, Message = "Dialog {DialogId} changed while agent actions were applied; retry {Attempt}")]
    private static partial void LogConcurrencyRetry(ILogger logger, string dialogId, int attempt);
}
