using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Messages;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Stores an inbound activity durably and idempotently before the channel acknowledges it: resolves the
/// client and its open dialog (one dialog follows the client across channels), then schedules the turn. When the
/// dialog is known (remembered from this node's last write, or read with the hint) and its turn could be planned
/// meanwhile, the turn commits with the message instead.
/// </summary>
public sealed class InboundGateway(
    Database database, InboundStore store, KnownConversations known, TimeProvider time, TurnScheduler scheduler, TurnProcessor turns, EffectsPublisher effects, ChangeFeed feed)
{
    public async Task<InboundReceipt> AcceptAsync(InboundActivity inbound, InboundEcho? echo, CancellationToken cancellationToken)
    {
        // Everything that needs no database is done before the write, to keep the single writer's work short.
        var now = time.NowMicros();
        var activity = inbound.Activity;
        var messageId = Ids.New();
        activity.Id = messageId;
        activity.Timestamp = TimeExtensions.FromMicros(now);
        activity.ChannelId = inbound.Channel;
        activity.Conversation ??= new ConversationAccount();
        activity.Conversation.Id = inbound.ConversationId;
        var stored = new StoredActivity(activity, ActivityJson.Serialize(activity));
        var language = LanguageDetector.Detect(activity.Text);

        // The usual case appends with what this node stored last for the conversation, unread: the
        // append checks it and changes nothing when it is out of date, and the message then takes the path below.
        if (Remembered(inbound) is { } remembered)
        {
            var planned = await PlanAheadAsync(inbound, remembered, messageId, activity, stored, now, cancellationToken);
            if (await AcceptAsync(inbound, echo, messageId, activity, stored, language, now, remembered, planned, cancellationToken) is { } accepted)
                return accepted;
            known.Forget(inbound.ConversationId);
        }

        // Reads that need no lock happen before the write: a repeat is answered from them, the usual case (a known
        // client writing into its open dialog here) needs no lookups in the writer, and its turn is planned from them.
        var hint = await store.ReadHintAsync(inbound.ConversationId, inbound.ChannelMessageId, cancellationToken);
        var ahead = await PlanAheadAsync(inbound, hint, messageId, activity, stored, now, cancellationToken);
        return await AcceptAsync(inbound, echo, messageId, activity, stored, language, now, hint, ahead, cancellationToken)
            ?? throw new InvalidOperationException($"Message '{messageId}' was not stored.");
    }

    /// <summary>The turn planned from the dialog that <paramref name="hint"/> holds, for a known client writing into it; else null.</summary>
    private async Task<PlannedTurn?> PlanAheadAsync(InboundActivity inbound, InboundHint hint, string messageId, Activity activity, StoredActivity stored, long now,
        CancellationToken cancellationToken) =>
        hint is { Dialog: { } open, ClientId: { } client, ExistingId: null } && open.Id == hint.DialogId && hint.AccountId == inbound.AccountId && inbound.Participant is null
            ? await turns.PlanAheadAsync(new StoredMessage
            {
                Id = messageId, DialogId = open.Id, ConversationId = inbound.ConversationId, Channel = inbound.Channel, Direction = "in", Author = Authors.Client,
                AuthorId = client, Text = activity.Text, Activity = stored.Json, ChannelMessageId = inbound.ChannelMessageId, CreatedAt = now,
            }, open, cancellationToken)
            : null;

    /// <summary>A group member's message resolves its client first, so only a one-to-one conversation is remembered.</summary>
    private static bool Remembers(InboundActivity inbound) => inbound.Participant is null;

    /// <summary>What this node stored last for the conversation, when the append may start from it.</summary>
    private InboundHint? Remembered(InboundActivity inbound) =>
        Remembers(inbound) && known.Find(inbound.ConversationId) is { } k && k.AccountId == inbound.AccountId
            ? new InboundHint { AccountId = k.AccountId, ClientId = k.ClientId, DialogId = k.DialogId, Dialog = k.Dialog, Remembered = true }
            : null;

    /// <summary>
    /// Stores the message with what <paramref name="hint"/> says, and with it the turn planned <paramref name="ahead"/>
    /// when it is still next in line; null, with nothing written, when a remembered hint is out of date.
    /// </summary>
    private async Task<InboundReceipt?> AcceptAsync(InboundActivity inbound, InboundEcho? echo, string messageId, Activity activity, StoredActivity stored, string? language, long now,
        InboundHint hint, PlannedTurn? ahead, CancellationToken cancellationToken)
    {
        if (hint.ExistingId is not null)
        {
            scheduler.Schedule(inbound.ConversationId);
            return new InboundReceipt(hint.ExistingId, hint.ExistingDialogId!, true);
        }

        // A conversation belongs to the account it is bound to: another account writing into it would pull its own
        // dialog (and the operator's replies) here, which is how one client could take over another's dialog.
        if (hint.AccountId is { } owner && owner != inbound.AccountId)
            throw new ForeignAccountException(inbound.ConversationId);

        InboundReceipt? receipt;
        string? storedClient = null;
        CommittedEffects? turnEffects = null;
        try
        {
            receipt = await database.WriteGroupedAsync<InboundReceipt?>(inbound.ConversationId, async (c, t) =>
            {
                turnEffects = null;
                // A group member is a client account of their own (the same one their private chat with the bot uses).
                if (inbound.Participant is { } participant)
                    await store.ResolveClientAsync(c, t, inbound.Channel, participant.AccountId, participant.Name, now);
                var row = new InboundMessageRow(messageId, hint.DialogId, inbound.ConversationId, inbound.Channel, hint.ClientId, activity.Text, stored.Json,
                    activity.Type ?? Activity.Types.Message, inbound.ChannelMessageId, now);
                var knownDialog = hint is { ClientId: not null, DialogId: { } open } && hint.AccountId == inbound.AccountId ? open : null;
                // The usual case: a known client writing into its open dialog here, with its turn planned ahead. Two round
                // trips on PostgreSQL: the place (locks, sequence, and whether the turn is next), then the rest in one batch.
                if (knownDialog is not null && ahead?.CommitsIn(knownDialog) == true)
                {
                    if (await InboundStore.TakeTurnPlaceAsync(c, t, row, ahead.Replies.Count, ahead.Dialog.Version) is { } place)
                    {
                        turnEffects = await StoreAsync(c, t, row with { Seq = place.Seq }, stored, echo, place.MayCommit ? ahead : null, touch: true);
                        storedClient = hint.ClientId;
                        return new InboundReceipt(messageId, knownDialog, false);
                    }
                    // The dialog is no longer open here for this client, and nothing was written: a remembered dialog's
                    // transaction commits as it is (with the rest of its group), and the caller reads afresh.
                    if (hint.Remembered)
                        return null;
                }
                // Without a turn, PostgreSQL stores it with one statement (and the echo's).
                else if (database.Dialect == SqlDialect.Postgres && knownDialog is not null)
                {
                    if (await store.AppendToKnownDialogAsync(c, t, row) is { DialogMatched: > 0 } appended)
                    {
                        await StoreAsync(c, t, row with { Seq = appended.Seq ?? throw new RepeatedInboundException() }, stored, echo, turn: null, touch: false, inserted: true);
                        storedClient = hint.ClientId;
                        return new InboundReceipt(messageId, knownDialog, false);
                    }
                    if (hint.Remembered)
                        return null;
                }

                string? clientId = null;
                string? dialog = null;
                // A remembered dialog must also still be the client's (a merge of clients moves it).
                if (knownDialog is not null && await store.TouchOpenDialogAsync(c, t, knownDialog, inbound.ConversationId, hint.Remembered ? hint.ClientId : null, now))
                {
                    (clientId, dialog) = (hint.ClientId, knownDialog);
                }
                else if (hint.Remembered)
                {
                    return null;
                }
                else
                {
                    clientId = hint is { ClientId: { } bound } && hint.AccountId == inbound.AccountId ? bound : null;
                    if (clientId is null)
                    {
                        clientId = await store.ResolveClientAsync(c, t, inbound.Channel, inbound.AccountId, inbound.AccountName, now);
                        // Bound meanwhile to another account (the hint was read before this transaction): refused, nothing is kept.
                        if (await store.BindConversationAsync(c, t, inbound.ConversationId, inbound.Channel, inbound.AccountId, clientId, now) != inbound.AccountId)
                            throw new ForeignAccountException(inbound.ConversationId);
                    }
                    dialog = await store.OpenDialogAsync(c, t, clientId, inbound.ConversationId, inbound.Channel, language ?? "ru", now);
                    // Lock order everywhere: the dialog row before the conversation row (whose sequence every append takes).
                    await store.TouchDialogAsync(c, t, dialog, now);
                }
                // A turn planned ahead commits only through the place taken above; here its message takes the scheduled turn.
                var seq = await ConversationSequence.NextAsync(c, t, inbound.ConversationId);
                await StoreAsync(c, t, row with { DialogId = dialog, AuthorId = clientId, Seq = seq }, stored, echo, turn: null, touch: false);
                storedClient = clientId;
                return new InboundReceipt(messageId, dialog, false);
            }, cancellationToken);
        }
        catch (RepeatedInboundException)
        {
            receipt = await FindExistingAsync(inbound, cancellationToken)
                ?? throw new InvalidOperationException($"Message '{inbound.ChannelMessageId}' was refused as a repeat but is not stored.");
        }
        catch (Exception) when (ahead is not null && !cancellationToken.IsCancellationRequested)
        {
            // The write rolled back whole, so nothing of it is stored: the message takes the usual path, where a failure
            // of its own (a foreign account) is answered as always and a failing turn is retried.
            return await AcceptAsync(inbound, echo, messageId, activity, stored, language, now, hint, null, cancellationToken);
        }

        if (receipt is null)
            return null;
        if (!receipt.Duplicate && storedClient is not null && Remembers(inbound))
        {
            // The dialog as the turn committed here left it; else as read, until the scheduled turn leaves it otherwise.
            var dialog = turnEffects is not null ? TurnProcessor.DialogAfter(ahead!.Dialog, ahead.Plan!) : hint.Dialog?.Id == receipt.DialogId ? hint.Dialog : null;
            known.Remember(inbound.ConversationId, new KnownConversation(inbound.AccountId, storedClient, receipt.DialogId) { Dialog = dialog });
        }
        if (!receipt.Duplicate)
        {
            feed.Publish(new FeedEvent.MessageStored(receipt.DialogId, inbound.ConversationId, receipt.MessageId, "in", Authors.Client, null, time.NowMicros()));
            feed.Publish(new FeedEvent.ActivitiesAppended(inbound.ConversationId));
        }
        if (turnEffects is not null)
        {
            await effects.PublishAsync(turnEffects, cancellationToken);
            return receipt;
        }
        // Recorded before the turn is scheduled, so the scheduled run waits for the failure's backoff.
        if (ahead is { Failure: not null } && !receipt.Duplicate && receipt.DialogId == ahead.Dialog.Id)
            await turns.RecordFailedAheadAsync(ahead, cancellationToken);
        scheduler.Schedule(inbound.ConversationId);
        return receipt;
    }

    /// <summary>
    /// Stores the message in its place (unless <paramref name="inserted"/> says a statement before did), with the
    /// channel's echo and, when <paramref name="turn"/> commits with it, the turn; else moves the dialog's last-message
    /// time if <paramref name="touch"/> asks for it. One batch (one round trip on PostgreSQL), then the rest of the
    /// turn's plan; the turn's effects, or null without a turn. A repeat of a stored message throws, to undo this copy.
    /// </summary>
    private async Task<CommittedEffects?> StoreAsync(DbConnection c, DbTransaction t, InboundMessageRow placed, StoredActivity stored, InboundEcho? echo, PlannedTurn? turn,
        bool touch, bool inserted = false)
    {
        var batch = SqlBatch.For(c);
        var insert = inserted ? -1 : InboundStore.AddInsert(batch, placed, processed: turn is not null);
        if (echo is not null)
            await echo(c, t, batch, stored, placed.Seq);
        var write = turn is not null ? turns.AddWriteAhead(batch, turn, placed.Seq + 1) : null;
        if (write is null && touch)
            InboundStore.AddTouch(batch, placed);
        var affected = await batch.ExecuteAsync(c, t);
        if (insert >= 0 && affected[insert] == 0)
            throw new RepeatedInboundException();
        return write is null ? null : await turns.FinishWriteAheadAsync(c, t, write, affected);
    }

    private async Task<InboundReceipt?> FindExistingAsync(InboundActivity inbound, CancellationToken cancellationToken) =>
        inbound.ChannelMessageId is not null && await store.FindByChannelIdAsync(inbound.ConversationId, inbound.ChannelMessageId, cancellationToken) is { } existing
            ? new InboundReceipt(existing.Id, existing.DialogId, true)
            : null;

    private sealed class RepeatedInboundException : Exception;
}
