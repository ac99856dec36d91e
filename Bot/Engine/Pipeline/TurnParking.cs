using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Messages;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// The dead-letter place for turns: parks a message whose turn kept failing (so its conversation moves on), tells
/// the client, hands a bot dialog to the operators' queue, records the failure for monitoring; and lists and
/// replays parked messages.
/// </summary>
public sealed partial class TurnParking(
    Database database,
    TurnStore turns,
    OutboundWriter writer,
    HandoffEntry handoffEntry,
    EffectsPublisher effects,
    SystemTexts texts,
    TimeProvider time,
    ILogger<TurnParking> logger)
{
    /// <summary>The handoff reason of a dialog whose turn was parked.</summary>
    public const string HandoffReason = "turn_failed";

    /// <param name="storedAttempts">The count the message must still have (otherwise another run already settled it).</param>
    /// <param name="exception">The last run's exception; its stack is logged here, once per parked message.</param>
    public async Task ParkAsync(StoredMessage message, int storedAttempts, int attempts, string error, Exception? exception, CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var parked = await database.WriteAsync<ParkedWrite?>(async (c, t) =>
        {
            // The dialog row before the conversation's sequence, the lock order every writer keeps.
            var dialog = await turns.LockDialogAsync(c, t, message.DialogId);
            if (!await turns.MarkParkedAsync(c, t, message.Id, storedAttempts, attempts, error, now))
                return null;
            await TurnStore.AddProcessingErrorAsync(c, t, "turn", message.Id,
                $"Message {message.Id} of dialog {message.DialogId} parked after {attempts} attempts: {error}", now);
            if (dialog.State == DialogStates.Closed)
                return new ParkedWrite(dialog, [], false);

            // A dialog with the bot goes to people; one already with people stays where it is (they see the message).
            var toOperators = dialog.State == DialogStates.Bot;
            var apology = texts.Get(toOperators ? "turn.failed_handoff" : "turn.failed", dialog.Language);
            var sent = new List<StoredMessage> { await writer.AppendAsync(c, t, dialog, BotResponder.SystemMessage(apology), message.Id) };
            var handedOff = false;
            if (toOperators)
            {
                var effects = await handoffEntry.EscalateAsync(c, t, dialog, new HandoffRequest(null, HandoffReason));
                sent.AddRange(effects.Sent);
                handedOff = effects.NeedsRouting;
            }
            return new ParkedWrite(dialog, sent, handedOff);
        }, cancellationToken);
        if (parked is null)
            return;

        LogParked(logger, exception, message.Id, message.ConversationId, attempts, error);
        await effects.PublishAsync(CommittedEffects.OfTurn(parked.Dialog, parked.Sent, parked.HandedOff, closed: false), cancellationToken);
    }

    public async Task<IReadOnlyList<ParkedTurn>> ListAsync(int limit, CancellationToken cancellationToken) =>
        (await turns.ListParkedAsync(limit, cancellationToken))
            .Select(r => new ParkedTurn(r.Id, r.DialogId, r.ConversationId, r.DialogState, r.Text, r.TurnAttempts, r.TurnError,
                TimeExtensions.FromMicros(r.CreatedAt), TimeExtensions.FromMicros(r.ParkedAt)))
            .ToList();

    /// <summary>
    /// Makes a parked message unprocessed again with a fresh count; the caller schedules its conversation. It runs
    /// before any later message of the conversation still waiting, against the dialog as it is now.
    /// </summary>
    public async Task<(ReplayOutcome Outcome, string? ConversationId)> ReplayAsync(string messageId, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (c, t) =>
        {
            if (await turns.FindForReplayAsync(c, t, messageId) is not { } row)
                return (ReplayOutcome.NotFound, null);
            if (row.ParkedAt is null)
                return (ReplayOutcome.NotParked, row.ConversationId);
            if (row.DialogState == DialogStates.Closed)
                return (ReplayOutcome.DialogClosed, row.ConversationId);
            await turns.UnparkAsync(c, t, messageId);
            return (ReplayOutcome.Replayed, (string?)row.ConversationId);
        }, cancellationToken);

    private sealed record ParkedWrite(StoredDialog Dialog, IReadOnlyList<StoredMessage> Sent, bool HandedOff);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error,
        Message = "Turn of message {MessageId} in conversation {ConversationId} parked after {Attempts} attempts: {Error}")]
    private static partial void LogParked(ILogger logger, Exception? ex, string messageId, string conversationId, int attempts, string error);
}
