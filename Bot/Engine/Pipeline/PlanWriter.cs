using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Dialogs;
using BotEngine.Storage.Desk;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Writes what the bot (or an external agent) decided, inside the caller's transaction and only if the dialog is
/// still with the bot at the version the plan was made from: the new bot state, the replies, the handoff, and the
/// close or callback request. Turns and agent callbacks both write through here.
/// </summary>
public sealed class PlanWriter(OutboundWriter writer, HandoffEntry handoffEntry, TimeProvider time)
{
    /// <summary>The messages sent, or null when the dialog changed meanwhile (the caller plans again).</summary>
    /// <param name="countsAsActivity">True when the plan is news of its own (an agent writing later), so it moves the dialog's last-message time.</param>
    public async Task<List<StoredMessage>?> TryWriteAsync(
        DbConnection c, DbTransaction t, StoredDialog dialog, TurnPlan plan, IReadOnlyList<StoredMessage> replies, bool countsAsActivity = false)
    {
        var now = time.NowMicros();
        var update = SqlBatch.For(c);
        AddStateUpdate(update, dialog, plan, countsAsActivity ? now : null);
        if ((await update.ExecuteAsync(c, t))[0] == 0)
            return null;

        var batch = SqlBatch.For(c);
        var sent = replies.Select(reply => writer.Append(batch, reply)).ToList();
        await batch.ExecuteAsync(c, t);
        sent.AddRange(await FinishAsync(c, t, dialog, plan, now));
        return sent;
    }

    /// <summary>
    /// Adds the plan's new bot state to a batch, as a versioned update that changes nothing when the dialog changed
    /// since it was read or left the bot; returns the statement's index (its row count says which). With
    /// <paramref name="touchedAt"/> it also moves the dialog's last-message time there.
    /// </summary>
    public int AddStateUpdate(SqlBatch batch, StoredDialog dialog, TurnPlan plan, long? touchedAt = null) =>
        DialogStatements.AddBotStateUpdate(batch, dialog.Id, dialog.Version, plan.BotState, plan.Language, touchedAt);

    /// <summary>What the plan does after its state and replies are written: the handoff, and the agent call, close or callback request.</summary>
    public async Task<List<StoredMessage>> FinishAsync(DbConnection c, DbTransaction t, StoredDialog dialog, TurnPlan plan, long now)
    {
        var sent = new List<StoredMessage>();
        if (plan.Handoff is { } handoff)
        {
            var current = (await HandoffStore.LoadRowAsync(c, t, dialog.Id))!;
            sent.AddRange((await handoffEntry.EscalateAsync(c, t, current, handoff)).Sent);
        }
        await BotResponder.CommitAsync(c, t, dialog, plan, now);
        return sent;
    }

}
