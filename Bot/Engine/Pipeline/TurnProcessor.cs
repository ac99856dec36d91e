using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Messages;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Runs the turn for each unprocessed inbound message of a conversation, in order. The bot's replies, the
/// dialog's new state and the "processed" mark commit together, so a crash either repeats the whole turn or none of it.
/// A turn that throws is retried and finally parked by <see cref="TurnRetries"/>, so its conversation moves on.
/// </summary>
public sealed partial class TurnProcessor(
    Database database,
    ITurnStore turns,
    TurnPipeline pipeline,
    KnowledgeRuntime knowledge,
    OutboundWriter writer,
    HandoffEntry handoffEntry,
    PlanWriter plans,
    EffectsPublisher effects,
    TurnRetries retries,
    KnownConversations known,
    TimeProvider time,
    IOptions<TurnOptions> options,
    ILogger<TurnProcessor> logger)
{
    private const int MaxConcurrencyRetries = 5;

    public async Task ProcessConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await turns.ReadNextAsync(conversationId, cancellationToken);
            if (next is null)
                return;
            var message = next.Message;
            // The dialog waits for its agent: this message is answered after the agent's answer, and the lane moves on.
            // Checked before the attempt is counted: waiting is not a failure.
            if (message.AgentCallsOpen != 0)
                return;
            // Order per conversation: while the oldest message waits for a retry (or another node runs it), the later ones wait too.
            var attempt = await retries.BeginAsync(message, cancellationToken);
            if (attempt is null)
                return;
            if (attempt.Exhausted)
            {
                await retries.ParkUnfinishedAsync(message, attempt, cancellationToken);
                continue;
            }
            try
            {
                await ProcessMessageAsync(message, next.Dialog, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping is not the message's fault: a claimed run gives its claim back instead of waiting out the lease.
                await retries.ReleaseAsync(message, attempt);
                throw;
            }
            catch (Exception ex)
            {
                await retries.FailAsync(message, attempt, ex, cancellationToken);
            }
            // A message stored after this read scheduled the conversation again, so only a second one seen now needs another pass.
            if (!next.MoreWaiting)
                return;
        }
    }

    /// <summary>
    /// Conversations with a message to recover: a failed turn whose backoff is over, a claimed retry whose node let
    /// its lease lapse, or a message left unprocessed longer than <see cref="TurnOptions.RecoverAfter"/> (after a
    /// crash, or on a node that died). Fresh messages are left to the node that took them.
    /// </summary>
    public Task<IReadOnlyList<string>> FindUnprocessedConversationsAsync(CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        return turns.FindUnprocessedConversationsAsync(now, now - (long)options.Value.RecoverAfter.TotalMicroseconds, cancellationToken);
    }

    private async Task ProcessMessageAsync(StoredMessage message, StoredDialog dialog, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The dialog read with the message serves the first attempt; a conflict means it changed, so it is read again.
            if (attempt > 1)
                dialog = await turns.LoadDialogAsync(message.DialogId, cancellationToken);
            var plan = await pipeline.PlanAsync(new TurnContext(message, dialog, ActivityJson.Deserialize(message.Activity), knowledge.Runner), cancellationToken);
            var replies = plan is null ? [] : PrepareReplies(dialog, plan, message.Id);

            TurnWrite outcome;
            try
            {
                outcome = await database.WriteGroupedAsync(message.ConversationId, (c, t) => WriteAsync(c, t, message, dialog, plan, replies), cancellationToken);
            }
            catch (TurnRefusedException refused)
            {
                outcome = refused.Outcome;
            }

            if (outcome.Kind == TurnWriteKind.Conflict)
            {
                if (attempt >= MaxConcurrencyRetries)
                    throw new InvalidOperationException($"Dialog {dialog.Id} kept changing during the turn of message {message.Id}.");
                LogConcurrencyRetry(logger, dialog.Id, attempt);
                continue;
            }
            if (outcome.Kind == TurnWriteKind.Done)
            {
                // The node remembers the conversation: its next message is planned from the dialog as this turn left it.
                if (known.Find(message.ConversationId) is { } remembered && remembered.DialogId == dialog.Id)
                    known.Remember(message.ConversationId, remembered with { Dialog = plan is null ? dialog : DialogAfter(dialog, plan) });
                await effects.PublishAsync(EffectsOf(dialog, plan, outcome), cancellationToken);
            }
            return;
        }
    }

    /// <summary>
    /// Plans the turn of a message that is not stored yet, from the dialog as this node's last turn left it (or read
    /// with its hint), so that the inbound write commits the message and its turn together: one write instead of two,
    /// and no read of the message back. Null when the message takes the scheduled turn instead: the dialog's
    /// replies leave through a channel's network call (which the channel's request must not wait for), people own the
    /// dialog, or planning took longer than <see cref="TurnOptions.PlanAheadBudget"/> (the scheduled turn plans again; planning
    /// writes nothing, so the abandoned run changes nothing). A plan that throws is returned with its error: it counts as
    /// the turn's first run.
    /// </summary>
    public async Task<PlannedTurn?> PlanAheadAsync(StoredMessage message, StoredDialog dialog, CancellationToken cancellationToken)
    {
        var budget = options.Value.PlanAheadBudget;
        if (budget == TimeSpan.Zero || !writer.DeliversInTransaction(dialog.Channel))
            return null;
        Task<TurnPlan?> planning;
        try
        {
            planning = pipeline.PlanAsync(new TurnContext(message, dialog, ActivityJson.Deserialize(message.Activity), knowledge.Runner), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new PlannedTurn(message, dialog) { Failure = ex };
        }
        if (!planning.IsCompleted)
        {
            try
            {
                // The budget bounds the channel's wait for its acknowledgement, so it is wall-clock time.
                await planning.WaitAsync(budget, cancellationToken);
            }
            catch (TimeoutException)
            {
                _ = planning.ContinueWith(static p => _ = p.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return null;
            }
            catch (Exception) when (planning.IsFaulted && !cancellationToken.IsCancellationRequested)
            {
                // Told below, as a failed first run.
            }
        }
        if (planning.IsFaulted && !cancellationToken.IsCancellationRequested)
            return new PlannedTurn(message, dialog) { Failure = planning.Exception!.InnerException ?? planning.Exception };
        if (await planning is not { } plan)
            return null;
        return new PlannedTurn(message, dialog) { Plan = plan, Replies = PrepareReplies(dialog, plan, message.Id) };
    }

    /// <summary>
    /// Adds a turn planned ahead to the batch that stores its message already marked processed
    /// (<see cref="InboundStore.TakeTurnPlaceAsync"/> checked that the turn may commit with it): the versioned state,
    /// which also moves the dialog's last-message time to the message's, and the replies, in the places the message's
    /// write took for them in the conversation's stream from <paramref name="firstReplySeq"/> on. After the batch ran,
    /// <see cref="FinishWriteAheadAsync"/> checks it and writes the rest of the plan.
    /// </summary>
    public AheadWrite AddWriteAhead(SqlBatch batch, PlannedTurn turn, long firstReplySeq)
    {
        var bumped = plans.AddStateUpdate(batch, turn.Dialog, turn.Plan!, touchedAt: turn.Message.CreatedAt);
        var sent = turn.Replies.Select((reply, i) => writer.Append(batch, reply, firstReplySeq + i)).ToList();
        return new AheadWrite(turn, bumped, sent);
    }

    /// <summary>
    /// Writes the rest of a turn planned ahead once its batch ran (the handoff, close or agent call); the effects to
    /// publish after the commit. Throws, so that the message's write is rolled back whole, when the dialog's version
    /// moved after all.
    /// </summary>
    public async Task<CommittedEffects> FinishWriteAheadAsync(DbConnection c, DbTransaction t, AheadWrite write, int[] affected)
    {
        if (affected[write.StateUpdate] == 0)
            throw new TurnRefusedException(TurnWrite.Conflict);
        var (turn, plan) = (write.Turn, write.Turn.Plan!);
        var sent = new List<StoredMessage>(write.Sent);
        sent.AddRange(await plans.FinishAsync(c, t, turn.Dialog, plan, time.NowMicros()));
        return EffectsOf(turn.Dialog, plan, TurnWrite.Done(sent, plan.Handoff is not null));
    }

    /// <summary>The plan's replies in their stored form; the greetings that open a dialog answer no message.</summary>
    private List<StoredMessage> PrepareReplies(StoredDialog dialog, TurnPlan plan, string messageId) =>
        plan.Replies.Select((r, i) => writer.Prepare(dialog, r, i < plan.Greetings ? null : messageId)).ToList();

    private static CommittedEffects EffectsOf(StoredDialog dialog, TurnPlan? plan, TurnWrite outcome) =>
        CommittedEffects.OfTurn(dialog, outcome.Sent, outcome.HandedOff, plan?.Close == true, plan?.AgentCall is not null);

    /// <summary>
    /// The dialog's row after a turn with <paramref name="plan"/> committed, as far as the turn's own write says: the new
    /// bot state at the next version; null when the plan also handed off, closed, called an agent or asked for a
    /// callback, whose writes change more of it.
    /// </summary>
    public static StoredDialog? DialogAfter(StoredDialog dialog, TurnPlan plan) =>
        plan.Handoff is null && !plan.Close && plan.AgentCall is null && plan.Callback is null
            ? dialog with { Version = dialog.Version + 1, BotState = plan.BotState, Language = plan.Language }
            : null;

    /// <summary>Records a plan that threw ahead as the turn's first failed run, after its message was stored without it.</summary>
    public Task RecordFailedAheadAsync(PlannedTurn turn, CancellationToken cancellationToken) =>
        retries.FailAsync(turn.Message, new TurnAttempt(1, Counted: false), turn.Failure!, cancellationToken);

    /// <summary>
    /// The turn's one write, in the caller's transaction: the "processed" mark, the versioned bot state and the replies
    /// in one batch (one round trip on PostgreSQL), then the plan's handoff, close or agent call. Throws <see cref="TurnRefusedException"/>, so that all of it is rolled back, when the message
    /// was done meanwhile or the dialog changed.
    /// </summary>
    private async Task<TurnWrite> WriteAsync(DbConnection c, DbTransaction t, StoredMessage message, StoredDialog dialog, TurnPlan? plan, IReadOnlyList<StoredMessage> replies)
    {
        var now = time.NowMicros();
        var batch = SqlBatch.For(c);
        var marked = TurnStore.AddProcessedMark(batch, message.Id, now);
        if (plan is null)
        {
            if ((await batch.ExecuteAsync(c, t))[marked] == 0)
                throw new TurnRefusedException(TurnWrite.AlreadyDone);
            var effects = await handoffEntry.ClientWroteAsync(c, t, dialog);
            return TurnWrite.Done([.. effects.Sent], effects.NeedsRouting);
        }
        var bumped = plans.AddStateUpdate(batch, dialog, plan);
        var sent = replies.Select(reply => writer.Append(batch, reply)).ToList();
        var affected = await batch.ExecuteAsync(c, t);
        if (affected[marked] == 0)
            throw new TurnRefusedException(TurnWrite.AlreadyDone);
        if (affected[bumped] == 0)
            throw new TurnRefusedException(TurnWrite.Conflict);
        sent.AddRange(await plans.FinishAsync(c, t, dialog, plan, now));
        return TurnWrite.Done(sent, plan.Handoff is not null);
    }

    /// <summary>Rolls a turn's write back: the message was processed meanwhile, or the dialog changed since it was read.</summary>
    private sealed class TurnRefusedException(TurnWrite outcome) : Exception
    {
        public TurnWrite Outcome { get; } = outcome;
    }

    private enum TurnWriteKind
    {
        Done,
        AlreadyDone,
        Conflict,
    }

    private sealed record TurnWrite(TurnWriteKind Kind, IReadOnlyList<StoredMessage> Sent, bool HandedOff)
    {
        public static readonly TurnWrite AlreadyDone = new(TurnWriteKind.AlreadyDone, [], false);
        public static readonly TurnWrite Conflict = new(TurnWriteKind.Conflict, [], false);

        public static TurnWrite Done(IReadOnlyList<StoredMessage> sent, bool handedOff) => new(TurnWriteKind.Done, sent, handedOff);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Debug, Message = "Dialog {DialogId} changed during a turn; retry {Attempt}")]
    private static partial void LogConcurrencyRetry(ILogger logger, string dialogId, int attempt);
}
