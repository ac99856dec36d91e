using BotEngine.Conversations;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Handoff;
using BotEngine.Storage;
using BotEngine.Storage.Clients;
using BotEngine.Storage.Desk;
using BotEngine.Storage.Workplace;

namespace BotEngine.Engine.Desk;

/// <summary>
/// An operator writes to a client first, from the client card: a new dialog on one of the client's conversations,
/// held and accepted by the operator, with the first message. One transaction under the routing lock, so routing never
/// sees the dialog half made.
/// </summary>
public sealed class OutboundDialogStarter(
    Database database,
    DeskLocks locks,
    DialogActions actions,
    DialogTimers timers,
    OutboundWriter writer,
    EffectsPublisher effects,
    ChannelDirectory channels,
    TimeProvider time)
{
    /// <returns>The new dialog's id and the first message.</returns>
    public async Task<(string DialogId, StoredMessage Message)> StartAsync(string operatorId, string clientId, string? conversationId, string text, string? language,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new DeskException(400, "text: the first message is empty.");
        var result = await database.WriteAsync(async (c, t) =>
        {
            await locks.LockRoutingAsync(c, t);
            var me = await OperatorStore.LoadAsync(c, t, operatorId) ?? throw new DeskException(404, $"Operator '{operatorId}' does not exist.");
            if (HandoffStore.Status(me) is not (OperatorStatus.Online or OperatorStatus.Invisible))
                throw new DeskException(409, "Go online to start dialogs.", "start.not_online");
            if (!await OutboundDialogStore.ClientExistsAsync(c, t, clientId))
                throw new DeskException(404, $"clientId: client '{clientId}' does not exist.");
            string? channel;
            if (conversationId is null)
                (conversationId, channel) = await OutboundDialogStore.LatestConversationAsync(c, t, clientId);
            else
                channel = await ClientStore.ConversationChannelAsync(c, t, conversationId, clientId)
                    ?? throw new DeskException(400, $"conversationId: '{conversationId}' is not a conversation of client '{clientId}'.");
            if (conversationId is null || channel is null)
                throw new DeskException(409, $"Client '{clientId}' has no channel to write to.", "start.no_channel");
            var type = channels.TypeOf(channel);
            if (!OutboundChannels.Allows(type))
                throw new DeskException(409, $"The channel '{channel}' ({type}) does not let the business write first.", "start.channel");
            if (await OutboundDialogStore.OpenDialogIdAsync(c, t, clientId) is { } open)
                throw new DeskException(409, $"Client '{clientId}' already has an open dialog '{open}'.", "start.client_busy");

            var now = time.GetUtcNow();
            var lang = language ?? await OutboundDialogStore.LastLanguageAsync(c, t, clientId) ?? "ru";
            var dialogId = await OutboundDialogStore.CreateAsync(c, t, clientId, conversationId, channel, lang, TimeExtensions.ToMicros(now));
            var row = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var settings = await CallCentreStore.LoadSettingsAsync(c, t, row.CallCentre ?? CallCentres.Default);
            // What the dialog needs if it is ever returned to the queue (the operator goes offline): anyone who fits, this client's operators first.
            var previous = await HandoffStore.PreviousOperatorsAsync(c, t, clientId);
            var requirements = settings.Complete(RoutingRequirements.Create(callCentre: settings.CallCentre, language: lang, line: row.Line), previous);
            var op = HandoffStore.ToProfile(me);
            var queued = Require(actions.Escalate(HandoffStore.ToDialog(row), requirements, "operator_started"));
            await SaveAsync(c, t, queued, row);
            row = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var assigned = Require(actions.Assign(queued.Dialog, new Assignment(dialogId, operatorId, AssignmentReason.TakenByOperator, false)));
            await SaveAsync(c, t, assigned, row);
            row = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var accepted = Require(actions.Accept(assigned.Dialog, op));
            await SaveAsync(c, t, accepted, row);
            row = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var sent = new List<StoredMessage>((await timers.ApplyAsync(c, t, row, new TimerEvent.Assigned())).Sent);
            var reply = new OperatorReply(text, []);
            var replied = Require(actions.Reply(accepted.Dialog, op, reply));
            await HandoffStore.RecordAsync(c, t, replied.Event);
            var activity = new Activity { Type = Activity.Types.Message, Text = text, TextFormat = "markdown" };
            var message = await writer.AppendAsync(c, t, row, new OutboundMessage(Authors.Operator, operatorId, op.Name, activity), null);
            sent.Add(message);
            await HandoffStore.SetLastMessageAtAsync(c, t, dialogId, message.CreatedAt);
            sent.AddRange((await timers.ApplyAsync(c, t, row, new TimerEvent.OperatorMessage(text))).Sent);
            return (dialogId, message, sent);
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = result.sent,
            Changed = [new FeedEvent.DialogChanged(result.dialogId, DialogStates.Active, operatorId)],
        }, cancellationToken);
        return (result.dialogId, result.message);
    }

    private static DialogTransition Require(HandoffResult<DialogTransition> result) =>
        result.IsSuccess ? result.Value : throw DeskException.From(result.Error!);

    private static async Task SaveAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, DialogTransition transition, StoredDialog row)
    {
        if (!await HandoffStore.SaveAsync(c, t, transition, row.Version))
            throw new DeskException(409, $"Dialog '{row.Id}' changed meanwhile; reload and try again.", "dialog.changed");
    }
}
