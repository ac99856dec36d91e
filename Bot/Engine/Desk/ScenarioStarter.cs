using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Handoff;
using BotEngine.Storage;
using BotEngine.Storage.Desk;

namespace BotEngine.Engine.Desk;

/// <summary>
/// An operator starts a KB article's survey or scenario for the client from the workplace: the dialog goes to the bot,
/// which asks the article's questions, and comes back to the same operator when the scenario ends (answered, cancelled
/// or failed; see <see cref="BotEngine.KnowledgeBase.DialogRunner.StartScenario"/>). One transaction: the transfer, the bot's state and its
/// first question.
/// </summary>
public sealed class ScenarioStarter(
    Database database,
    DialogActions actions,
    DialogTimers timers,
    OutboundWriter writer,
    EffectsPublisher effects,
    KnowledgeRuntime knowledge,
    BotResponder responder)
{
    public async Task StartAsync(string operatorId, string dialogId, string articleId, CancellationToken cancellationToken)
    {
        if (!knowledge.Document.Articles.Exists(a => a.Id == articleId))
            throw new DeskException(404, $"articleId: article '{articleId}' does not exist.");
        var sent = await database.WriteAsync(async (c, t) =>
        {
            var row = await HandoffStore.LoadRowAsync(c, t, dialogId) ?? throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
            var op = HandoffStore.ToProfile(await OperatorStore.LoadAsync(c, t, operatorId)
                ?? throw new DeskException(404, $"Operator '{operatorId}' does not exist."));
            var dialog = HandoffStore.ToDialog(row);
            if (dialog.State != DialogState.Active || !dialog.IsHeldBy(operatorId))
                throw new DeskException(409, $"Dialog '{dialogId}' is not an accepted dialog of yours.", "dialog.not_owner");
            // The slots the bot and the client filled so far stay: the scenario does not ask again what it knows.
            var before = BotResponder.ReadState(row.BotState);
            var state = new BotEngine.KnowledgeBase.DialogState { Slots = new Dictionary<string, string>(before.Slots), Greeted = true };
            var started = knowledge.Runner.StartScenario(state, articleId, row.Language, operatorId, BotResponder.ContextOf(row))
                ?? throw new DeskException(400, $"articleId: article '{articleId}' has no question to ask the client (no slots to fill).", "article.no_scenario");
            var transferred = actions.Transfer(dialog, op, new TransferTarget.ToBot(), null);
            if (!transferred.IsSuccess)
                throw DeskException.From(transferred.Error!);
            if (!await HandoffStore.SaveAsync(c, t, transferred.Value, row.Version))
                throw new DeskException(409, $"Dialog '{dialogId}' changed meanwhile; reload and try again.", "dialog.changed");
            await HandoffStore.SetBotStateAsync(c, t, dialogId, JsonSerializer.Serialize(started.State, BotResponder.StateJson));
            var current = (await HandoffStore.LoadRowAsync(c, t, dialogId))!;
            var messages = new List<StoredMessage>();
            foreach (var message in started.Messages)
                messages.Add(await writer.AppendAsync(c, t, current, new OutboundMessage(Authors.Bot, null, null, responder.ToActivity(message, current.Language)), null));
            messages.AddRange((await timers.ApplyAsync(c, t, current, new TimerEvent.Released())).Sent);
            return messages;
        }, cancellationToken);
        await effects.PublishAsync(new CommittedEffects
        {
            Sent = sent,
            Changed = [new FeedEvent.DialogChanged(dialogId, DialogStates.Bot, operatorId)],
            NeedsRouting = true,
        }, cancellationToken);
    }
}
