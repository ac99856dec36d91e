using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// The dead-letter place for turns: parks a message whose turn kept failing (so its conversation moves on), tells
/// the client, hands a bot dialog to the operators' queue, records the failure for monitoring; and lists and
/// replays parked messages.
/// </summary>
public sealed partial class TurnParking(
    Database database,
    OutboundWriter writer,
    HandoffEntry handoffEntry,
    CommitAnnouncer announcer,
    SystemTexts texts,
    TimeProvider time,
    ILogger<TurnParking> logger)
{
    /// <summary>The handoff reason of a dialog whose turn was parked.</summary>
    public const string HandoffReason = "turn_failed";

    private const int MaxListedText = 500;

    /// <param name="storedAttempts">The count the message must still have (otherwise another run already settled it).</param>
    /// <param name="exception">The last run's exception; its stack is logged here, once per parked message.</param>
    public async Task ParkAsync(MessageRow message, int storedAttempts, int attempts, string error, Exception? exception, CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var parked = await database.WriteAsync<ParkedWrite?>(async (c, t) =>
        {
            // The dialog row before the conversation's sequence, the lock order every writer keeps.
            var dialog = await c.QuerySingleAsync<DialogRow>($"SELECT * FROM dialogs WHERE id = @DialogId{database.ForUpdate}", new { message.DialogId }, t);
            var marked = await c.ExecuteAsync("""
                UPDATE messages SET processed_at = @now, parked_at = @now, turn_attempts = @attempts, turn_error = @error, turn_next_at = NULL
                WHERE id = @Id AND processed_at IS NULL AND turn_attempts = @storedAttempts
                """, new { message.Id, now, attempts, error, storedAttempts }, t);
            if (marked == 0)
                return null;
            await c.ExecuteAsync("INSERT INTO processing_errors (id, kind, subject, message, at) VALUES (@id, 'turn', @subject, @text, @now)", new
            {
                id = Ids.New(),
                subject = message.Id,
                text = $"Message {message.Id} of dialog {message.DialogId} parked after {attempts} attempts: {error}",
                now,
            }, t);
            if (dialog.State == DialogStates.Closed)
                return new ParkedWrite(dialog, [], false);

            // A dialog with the bot goes to people; one already with people stays where it is (they see the message).
            var toOperators = dialog.State == DialogStates.Bot;
            var apology = texts.Get(toOperators ? "turn.failed_handoff" : "turn.failed", dialog.Language);
            var sent = new List<MessageRow> { await writer.AppendAsync(c, t, dialog, BotResponder.SystemMessage(apology), message.Id) };
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
        await announcer.AnnounceAsync(parked.Dialog, parked.Sent, parked.HandedOff, closed: false, cancellationToken);
    }

    public async Task<IReadOnlyList<ParkedTurn>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<ParkedRow>($"""
            SELECT m.id, m.dialog_id, m.conversation_id, d.state AS dialog_state, SUBSTR(m.text, 1, {MaxListedText}) AS text,
                   m.turn_attempts, m.turn_error, m.created_at, m.parked_at
            FROM messages m JOIN dialogs d ON d.id = m.dialog_id
            WHERE m.parked_at IS NOT NULL
            ORDER BY m.parked_at DESC LIMIT @limit
            """, new { limit }), cancellationToken);
        return rows.Select(r => new ParkedTurn(r.Id, r.DialogId, r.ConversationId, r.DialogState, r.Text, r.TurnAttempts, r.TurnError,
            TimeExtensions.FromMicros(r.CreatedAt), TimeExtensions.FromMicros(r.ParkedAt))).ToList();
    }

    /// <summary>
    /// Makes a parked message unprocessed again with a fresh count; the caller schedules its conversation. It runs
    /// before any later message of the conversation still waiting, against the dialog as it is now.
    /// </summary>
    public async Task<(ReplayOutcome Outcome, string? ConversationId)> ReplayAsync(string messageId, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (c, t) =>
        {
            var row = await c.QueryFirstOrDefaultAsync<(string ConversationId, long? ParkedAt, string State)>("""
                SELECT m.conversation_id, m.parked_at, d.state FROM messages m JOIN dialogs d ON d.id = m.dialog_id
                WHERE m.id = @messageId AND m.direction = 'in'
                """, new { messageId }, t);
            if (row.ConversationId is null)
                return (ReplayOutcome.NotFound, null);
            if (row.ParkedAt is null)
                return (ReplayOutcome.NotParked, row.ConversationId);
            if (row.State == DialogStates.Closed)
                return (ReplayOutcome.DialogClosed, row.ConversationId);
            await c.ExecuteAsync("""
                UPDATE messages SET processed_at = NULL, parked_at = NULL, turn_attempts = 0, turn_error = NULL, turn_next_at = NULL
                WHERE id = @messageId AND parked_at IS NOT NULL
                """, new { messageId }, t);
            return (ReplayOutcome.Replayed, (string?)row.ConversationId);
        }, cancellationToken);

    private sealed record ParkedWrite(DialogRow Dialog, IReadOnlyList<MessageRow> Sent, bool HandedOff);

    private sealed class ParkedRow
    {
        public string Id { get; set; } = "";
        public string DialogId { get; set; } = "";
        public string ConversationId { get; set; } = "";
        public string DialogState { get; set; } = "";
        public string? Text { get; set; }
        public int TurnAttempts { get; set; }
        public string? TurnError { get; set; }
        public long CreatedAt { get; set; }
        public long ParkedAt { get; set; }
    }

    [LoggerMessage(EventId = 212, Level = LogLevel.Error,
        Message = "Turn of message {MessageId} in conversation {ConversationId} parked after {Attempts} attempts: {Error}")]
    private static partial void LogParked(ILogger logger, Exception? ex, string messageId, string conversationId, int attempts, string error);
}
