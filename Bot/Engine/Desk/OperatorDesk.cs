using BotEngine.Conversations;
using BotEngine.Engine.Learning;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;
using System.Data.Common;
using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Clients;
using BotEngine.Storage.Desk;
using BotEngine.Storage.Workplace;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>What operators and supervisors do: statuses, accept, reply, transfer, close, cancel hold. Each is one transaction.</summary>
public sealed class OperatorDesk(
    Database database,
    DeskLocks locks,
    DialogActions actions,
    DialogTimers timers,
    OutboundWriter writer,
    EffectsPublisher effects,
    SystemTexts texts,
    AgentLifecycleEvents agentEvents,
    IOptions<LearningOptions> learning,
    TimeProvider time)
{
    public Task SetStatusAsync(string operatorId, string status, CancellationToken cancellationToken) =>
        ChangeStatusAsync(operatorId, status, null, null, cancellationToken);

    /// <summary>A supervisor takes an operator offline; the operator's dialogs go back to the queue.</summary>
    public Task ForceOfflineAsync(string supervisorId, string operatorId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(operatorId, OperatorStatus.Offline.ToName(), supervisorId, null, cancellationToken);

    /// <summary>
    /// Takes an operator out of work for good: <paramref name="disable"/> marks the account in the same transaction in
    /// which the operator goes offline and their dialogs go back to the queue, so routing never sees a disabled operator online.
    /// </summary>
    public Task DisableAsync(string operatorId, Func<DbConnection, DbTransaction, OperatorRow, Task> disable, CancellationToken cancellationToken) =>
        ChangeStatusAsync(operatorId, OperatorStatus.Offline.ToName(), null, async (c, t, row) => { await disable(c, t, row); return true; }, cancellationToken);

    /// <summary>Signing out ends the operator's work: offline, their dialogs returned as going offline returns them.</summary>
    public Task SignOutAsync(string operatorId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(operatorId, OperatorStatus.Offline.ToName(), null, async (c, t, _) =>
        {
            await PresenceStore.ForgetAsync(c, t, operatorId);
            return true;
        }, cancellationToken);

    /// <summary>
    /// The operator's page has not been heard from since <paramref name="cutoffMicros"/> (the browser was closed): offline,
    /// as if they had chosen it. Checked again under the routing lock, so a heartbeat that came meanwhile keeps them;
    /// false when it did.
    /// </summary>
    public Task<bool> ExpirePresenceAsync(string operatorId, long cutoffMicros, CancellationToken cancellationToken) =>
        ChangeStatusAsync(operatorId, OperatorStatus.Offline.ToName(), null, async (c, t, _) =>
        {
            if (!await PresenceStore.IsStaleAsync(c, t, operatorId, cutoffMicros))
                return false;
            await PresenceStore.ForgetAsync(c, t, operatorId);
            return true;
        }, cancellationToken);

    /// <param name="guard">Runs first in the transaction; false leaves everything as it was (nothing changes, nothing is published).</param>
    private async Task<bool> ChangeStatusAsync(string operatorId, string status, string? supervisorId,
        Func<DbConnection, DbTransaction, OperatorRow, Task<bool>>? guard, CancellationToken cancellationToken)
    {
        if (!OperatorStatusNames.TryParse(status, out var to))
            throw new DeskException(400, $"status: unknown status '{status}'; expected one of online, offline, invisible, lunch, training.");
        var requeued = new List<string>();
        var sent = await database.WriteAsync<List<StoredMessage>?>(async (c, t) =>
        {
            requeued.Clear(); // a unit may run again after a failed group commit
            // A status change alters what routing sees: take the routing lock so the two never interleave.
            await locks.LockRoutingAsync(c, t);
            var row = await OperatorStore.LoadAsync(c, t, operatorId)
                ?? throw new DeskException(404, $"Operator '{operatorId}' does not exist.");
            if (guard is not null && !await guard(c, t, row))
                return null;
            var current = await HandoffStore.HeldDialogIdsAsync(c, t, operatorId);
            var now = time.GetUtcNow();
            HandoffResult<StatusTransition> result;
            if (supervisorId is null)
            {
                result = OperatorStatusMachine.Change(operatorId, HandoffStore.Status(row), to, current, now);
            }
            else
            {
                var supervisor = await OperatorStore.LoadAsync(c, t, supervisorId)
                    ?? throw new InvalidOperationException($"The supervisor '{supervisorId}' does not exist.");
                result = OperatorStatusMachine.ForceOffline(HandoffStore.ToProfile(supervisor), operatorId, HandoffStore.Status(row), current, now);
            }
            if (!result.IsSuccess)
            {
                // Asking for the status one already has is not an error worth a 409 for the page.
                if (result.Error!.Code == "status.unchanged")
                    return [];
                throw DeskException.From(result.Error);
            }
            var change = result.Value.Change;
            await OperatorStore.SetStatusAsync(c, t, operatorId, change.To.ToName(), TimeExtensions.ToMicros(change.At));
            var sent = new List<StoredMessage>();
            foreach (var dialogId in result.Value.RequeueDialogIds)
            {
                var dialogRow = await HandoffStore.LoadRowAsync(c, t, dialogId);
                if (dialogRow is null)
                    continue;
                var requeue = actions.Requeue(HandoffStore.ToDialog(dialogRow), supervisorId is null ? RequeueReason.OperatorStatus : RequeueReason.Supervisor);
                if (requeue.IsSuccess && await HandoffStore.SaveAsync(c, t, requeue.Value, dialogRow.Version))
                {
                    requeued.Add(dialogId);
                    sent.AddRange((await timers.ApplyAsync(c, t, (await HandoffStore.LoadRowAsync(c, t, dialogId))!, new TimerEvent.Released())).Sent);
                }
            }
            return sent;
        }, cancellationToken);
        if (sent is null)
            return false;
        // An operator's status is news for the pages, and may free or take away capacity: routing runs.
        // The dialogs it returned are back in the queue: news for whoever could take them.
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [new FeedEvent.DialogChanged("", "operator", operatorId), .. requeued.Select(id => new FeedEvent.DialogChanged(id, DialogStates.Queued, null))],
            NeedsRouting = true,
        }, cancellationToken);
        return true;
    }

    public Task AcceptAsync(string operatorId, string dialogId, CancellationToken cancellationToken) =>
        ActAsync(operatorId, dialogId, async (c, t, row, op) =>
        {
            var accepted = Require(actions.Accept(HandoffStore.ToDialog(row), op));
            await SaveOrConflictAsync(c, t, accepted, row);
            return [await JoinedAsync(c, t, row, op)];
        }, cancellationToken);

    /// <summary>
    /// An operator takes a waiting dialog from the queue by hand: it must be one routing could give them (online,
    /// a free slot, their call centre, language, line and skills, not meant for another operator). It is offered and
    /// accepted in one go, under the routing lock, so a routing pass cannot give it to someone else meanwhile.
    /// </summary>
    public async Task TakeAsync(string operatorId, string dialogId, CancellationToken cancellationToken)
    {
        var sent = await database.WriteAsync(async (c, t) =>
        {
            await locks.LockRoutingAsync(c, t);
            var row = await HandoffStore.LoadRowAsync(c, t, dialogId) ?? throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
            var dialog = HandoffStore.ToDialog(row);
            if (dialog.ToQueued() is not { } queued)
                throw new DeskException(409, $"Dialog '{dialogId}' is {dialog.State.ToString().ToLowerInvariant()}, not waiting in the queue.", "dialog.not_queued");
            var me = (await QueueReading.WorkingOperatorsAsync(c, t)).FirstOrDefault(o => o.OperatorId == operatorId);
            if (me is null || me.Status != OperatorStatus.Online)
                throw new DeskException(409, "Go online to take dialogs from the queue.", "take.not_online");
            if (me.FreeSlots == 0)
                throw new DeskException(409, $"You already hold {me.ActiveDialogs} dialogs, your limit.", "take.no_capacity");
            if (!me.IsEligibleFor(queued.Requirements.EffectiveAt(queued.QueuedAt, time.GetUtcNow())))
                throw new DeskException(409, $"Dialog '{dialogId}' needs another call centre, language, line, skills or operator.", "take.not_eligible");
            var op = HandoffStore.ToProfile((await OperatorStore.LoadAsync(c, t, operatorId))!);
            var assigned = Require(actions.Assign(dialog, new Assignment(dialogId, operatorId, AssignmentReason.TakenByOperator, false)));
            await SaveOrConflictAsync(c, t, assigned, row);
            var offered = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var accepted = Require(actions.Accept(assigned.Dialog, op));
            await SaveOrConflictAsync(c, t, accepted, offered);
            var current = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var joined = await JoinedAsync(c, t, current, op);
            return new List<StoredMessage> { joined }.Concat((await timers.ApplyAsync(c, t, current, new TimerEvent.Assigned())).Sent).ToList();
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [new FeedEvent.DialogChanged(dialogId, DialogStates.Active, operatorId)],
        }, cancellationToken);
    }

    /// <summary>The client is told an operator joined once that operator has accepted, not when the dialog is offered.</summary>
    private Task<StoredMessage> JoinedAsync(DbConnection c, DbTransaction t, StoredDialog row, OperatorProfile op) =>
        writer.AppendAsync(c, t, row, BotResponder.SystemMessage(texts.Get("handoff.assigned", row.Language, op.Name)), null);

    /// <summary>Replying to an offered dialog accepts it first: answering is the clearest acceptance there is.</summary>
    /// <param name="attachments">Stored files to send; pictures need send_pics, other files send_files.</param>
    /// <param name="articleId">The KB article this reply sends (checked by the caller): the client's last message becomes its training example.</param>
    public async Task<StoredMessage> ReplyAsync(string operatorId, string dialogId, string text,
        IReadOnlyList<(Attachment Attachment, bool IsPicture)> attachments, CancellationToken cancellationToken, string? articleId = null, string? conversationId = null)
    {
        if (string.IsNullOrWhiteSpace(text) && attachments.Count == 0)
            throw new DeskException(400, "text: the reply is empty (send text, attachments or both).");
        var activity = new Activity { Type = Activity.Types.Message, Text = text, TextFormat = "markdown" };
        if (attachments.Count > 0)
            activity.Attachments = attachments.Select(a => a.Attachment).ToList();
        var reply = new OperatorReply(text, attachments.Select(a => a.IsPicture ? AttachmentKind.Picture : AttachmentKind.File).ToList());
        return (await SendAsync(operatorId, dialogId, [(activity, reply)], articleId, conversationId, cancellationToken))[0];
    }

    /// <summary>
    /// Sends a KB article's answers (texts, buttons, the KB's files) as the operator's messages; the client's last
    /// message becomes a training example of the article (operator choice), as a reply naming it does.
    /// </summary>
    public Task<List<StoredMessage>> SendArticleAsync(string operatorId, string dialogId, string articleId, IReadOnlyList<Activity> answers, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
            throw new DeskException(400, $"articleId: article '{articleId}' has no answer an operator can send.", "article.no_answers");
        return SendAsync(operatorId, dialogId, [.. answers.Select(a => (a, new OperatorReply(a.Text ?? "", [])))], articleId, null, cancellationToken);
    }

    private async Task<List<StoredMessage>> SendAsync(string operatorId, string dialogId, IReadOnlyList<(Activity Activity, OperatorReply Reply)> messages,
        string? articleId, string? conversationId, CancellationToken cancellationToken)
    {
        var replies = new List<StoredMessage>();
        await ActAsync(operatorId, dialogId, async (c, t, row, op) =>
        {
            var dialog = HandoffStore.ToDialog(row);
            var sent = new List<StoredMessage>();
            if (dialog.State == DialogState.Assigned)
            {
                var accepted = Require(actions.Accept(dialog, op));
                await SaveOrConflictAsync(c, t, accepted, row);
                row = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
                dialog = accepted.Dialog;
                sent.Add(await JoinedAsync(c, t, row, op));
            }
            // A client with several channels gets the reply where the operator chose, else where they last wrote from.
            var destination = row;
            if (conversationId is not null && conversationId != row.ConversationId)
            {
                var channel = await ClientStore.ConversationChannelAsync(c, t, conversationId, row.ClientId)
                    ?? throw new DeskException(400, $"conversationId: '{conversationId}' is not a conversation of this dialog's client.");
                destination = row with { ConversationId = conversationId, Channel = channel };
            }
            foreach (var (activity, operatorReply) in messages)
            {
                var replied = Require(actions.Reply(dialog, op, operatorReply));
                await HandoffStore.RecordAsync(c, t, replied.Event);
                var reply = await writer.AppendAsync(c, t, destination, new OutboundMessage(Authors.Operator, operatorId, op.Name, activity), null);
                replies.Add(reply);
                sent.Add(reply);
            }
            var last = replies[^1];
            await HandoffStore.SetLastMessageAtAsync(c, t, last.DialogId, last.CreatedAt);
            if (articleId is not null)
                await TrainingExampleStore.AddOperatorChoiceAsync(c, t, dialogId, articleId, operatorId, learning.Value.OperatorChoiceWeight, last.CreatedAt);
            var effects = await timers.ApplyAsync(c, t, row, new TimerEvent.OperatorMessage(messages[^1].Reply.Text));
            sent.AddRange(effects.Sent);
            return sent;
        }, cancellationToken);
        return replies;
    }

    /// <summary>
    /// Transfers the dialog. Back to the bot, an external agent that had handed it over owns it again and gets
    /// <c>returnedFromOperator</c>, stored with the transfer and delivered after it.
    /// </summary>
    public async Task TransferAsync(string operatorId, string dialogId, TransferRequest request, CancellationToken cancellationToken)
    {
        TransferTarget target = request switch
        {
            { ToBot: true } => new TransferTarget.ToBot(),
            { OperatorId: { Length: > 0 } id } => new TransferTarget.ToOperator(id),
            // A language, or a line with skills: one queue that needs all of them.
            { Language: { Length: > 0 } } or { Line.Length: > 0, Skills.Length: > 0 } => new TransferTarget.ToGroup(
                request.Line, request.Language, (request.Skills ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal)),
            { Line: { Length: > 0 } line } => new TransferTarget.ToLine(line),
            { Skills: { Length: > 0 } skills } => new TransferTarget.ToSkills(skills.ToHashSet(StringComparer.Ordinal)),
            _ => throw new DeskException(400, "Name one transfer target: operatorId, line, language, skills, or toBot: true."),
        };
        var agentCalled = false;
        await ActAsync(operatorId, dialogId, async (c, t, row, op) =>
        {
            agentCalled = false; // a unit may run again after a failed group commit
            if (target is TransferTarget.ToOperator to && !await OperatorStore.ExistsAsync(c, t, to.OperatorId))
                throw new DeskException(400, $"operatorId: operator '{to.OperatorId}' does not exist.");
            var transferred = Require(actions.Transfer(HandoffStore.ToDialog(row), op, target, request.Note));
            await SaveOrConflictAsync(c, t, transferred, row);
            var current = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            if (target is TransferTarget.ToBot)
            {
                var (state, agentId) = KnowledgeBase.AgentActions.ReturnFromOperator(BotResponder.ReadState(current.BotState));
                await HandoffStore.SetBotStateAsync(c, t, dialogId, JsonSerializer.Serialize(state, BotResponder.StateJson));
                if (agentId is not null)
                    agentCalled = await agentEvents.ReturnedAsync(c, t, current, state, agentId, new KnowledgeBase.AgentOperator { Id = operatorId, Name = op.Name, Note = request.Note });
                // Said once, here: the bot does not greet again in this dialog (the returned state remembers the greeting).
                var notice = await writer.AppendAsync(c, t, current, BotResponder.SystemMessage(texts.Get("handoff.back_to_bot", current.Language)), null);
                return [notice, .. (await timers.ApplyAsync(c, t, current, new TimerEvent.Released())).Sent];
            }
            return [.. (await timers.ApplyAsync(c, t, current, new TimerEvent.Released())).Sent];
        }, cancellationToken, () => agentCalled);
    }

    /// <summary>Closes the dialog; the external agent that owned it (or handed it to operators) gets <c>dialogClosed</c>, stored with the close.</summary>
    public Task CloseAsync(string operatorId, string dialogId, string? topic, bool? clientDissatisfied, CancellationToken cancellationToken)
    {
        var agentCalled = false;
        return ActAsync(operatorId, dialogId, async (c, t, row, op) =>
        {
            var closed = Require(actions.Close(HandoffStore.ToDialog(row), op, topic ?? "", clientDissatisfied));
            await SaveOrConflictAsync(c, t, closed, row);
            var current = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var effects = await timers.ApplyAsync(c, t, current, new TimerEvent.Closed());
            var closing = BotResponder.SystemMessage(texts.Get("dialog.closed", current.Language));
            // The web widget offers the client to rate the dialog when it sees this mark.
            closing.Activity.ChannelData = new System.Text.Json.Nodes.JsonObject { ["event"] = "dialog.closed" };
            var notice = await writer.AppendAsync(c, t, current, closing, null);
            agentCalled = await agentEvents.ClosedAsync(c, t, row, KnowledgeBase.AgentClosers.Operator, new KnowledgeBase.AgentOperator { Id = operatorId, Name = op.Name });
            return [notice, .. effects.Sent];
        }, cancellationToken, () => agentCalled);
    }

    public Task CancelHoldAsync(string operatorId, string dialogId, CancellationToken cancellationToken) =>
        ActAsync(operatorId, dialogId, async (c, t, row, op) =>
        {
            if (!HandoffStore.ToDialog(row).IsHeldBy(operatorId))
                throw new DeskException(409, $"Dialog '{dialogId}' is not yours.", "dialog.not_owner");
            return [.. (await timers.ApplyAsync(c, t, row, new TimerEvent.CancelHold())).Sent];
        }, cancellationToken);

    /// <param name="agentCalled">After the commit: whether the action stored an event for an external agent (its dispatcher is woken).</param>
    private async Task ActAsync(string operatorId, string dialogId,
        Func<DbConnection, DbTransaction, StoredDialog, OperatorProfile, Task<List<StoredMessage>>> act, CancellationToken cancellationToken, Func<bool>? agentCalled = null)
    {
        var sent = await database.WriteAsync(async (c, t) =>
        {
            var row = await HandoffStore.LoadRowAsync(c, t, dialogId) ?? throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
            var op = await OperatorStore.LoadAsync(c, t, operatorId)
                ?? throw new DeskException(404, $"Operator '{operatorId}' does not exist.");
            return await act(c, t, row, HandoffStore.ToProfile(op));
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [new FeedEvent.DialogChanged(dialogId, "changed", operatorId)],
            NeedsRouting = true,
            AgentCalled = agentCalled?.Invoke() ?? false,
        }, cancellationToken);
    }

    private static DialogTransition Require(HandoffResult<DialogTransition> result) =>
        result.IsSuccess ? result.Value : throw DeskException.From(result.Error!);

    private static async Task SaveOrConflictAsync(DbConnection c, DbTransaction t, DialogTransition transition, StoredDialog row)
    {
        if (!await HandoffStore.SaveAsync(c, t, transition, row.Version))
            throw new DeskException(409, $"Dialog '{row.Id}' changed meanwhile; reload and try again.", "dialog.changed");
    }
}
