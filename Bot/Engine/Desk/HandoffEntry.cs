using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Where the pipeline meets routing, inside the turn's transaction: a dialog the bot hands off enters the queue
/// with its requirements (and the client's previous operators first), and a client message to a dialog held by
/// people feeds the timers or brings a detached dialog back to the queue (as <see cref="DialogActions.RouteClientMessage"/> decides).
/// </summary>
public sealed class HandoffEntry(DialogActions actions, DialogTimers timers, QueueNotices notices)
{
    public async Task<HandoffEffects> EscalateAsync(DbConnection c, DbTransaction t, StoredDialog row, HandoffRequest request)
    {
        var settings = await CallCentreStore.LoadSettingsAsync(c, t, row.CallCentre ?? CallCentres.Default);
        var previous = await HandoffStore.PreviousOperatorsAsync(c, t, row.ClientId);
        var requirements = settings.Complete(RoutingRequirements.Create(callCentre: settings.CallCentre, language: row.Language, line: request.Line ?? row.Line, skills: request.Skills), previous);
        // A named operator (an external agent may ask for one) waits for that operator, as a transfer to them does.
        if (request.OperatorId is { Length: > 0 } named
            && await OperatorStore.ExistsAsync(c, t, named))
            requirements = requirements with { TargetOperator = named };
        var escalated = actions.Escalate(HandoffStore.ToDialog(row), requirements, request.Reason);
        if (!escalated.IsSuccess || !await HandoffStore.SaveAsync(c, t, escalated.Value, row.Version))
            return new HandoffEffects([], false);
        var current = (await HandoffStore.LoadRowAsync(c, t, row.Id))!;
        return new HandoffEffects([await notices.NoticeAsync(c, t, current)], true);
    }

    public async Task<HandoffEffects> ClientWroteAsync(DbConnection c, DbTransaction t, StoredDialog row)
    {
        var dialog = HandoffStore.ToDialog(row);
        switch (DialogActions.RouteClientMessage(dialog))
        {
            case ClientMessageRoute.Operator:
                return new HandoffEffects((await timers.ApplyAsync(c, t, row, new TimerEvent.ClientMessage())).Sent, false);
            case ClientMessageRoute.Reattach:
                var back = actions.Reattach(dialog);
                if (!back.IsSuccess || !await HandoffStore.SaveAsync(c, t, back.Value, row.Version))
                    return new HandoffEffects([], false);
                var current = (await HandoffStore.LoadRowAsync(c, t, row.Id))!;
                await timers.ApplyAsync(c, t, current, new TimerEvent.ClientMessage());
                return new HandoffEffects([await notices.NoticeAsync(c, t, current)], true);
            default:
                // Queue: the message is stored and the dialog keeps its place (the notice loop tells the client of changes).
                // Bot and NewBotDialog: the bot's turn, or the new dialog the gateway opens, answers the client.
                return new HandoffEffects([], false);
        }
    }
}
