using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Storage.Dialogs;
using Dapper;

namespace BotEngine.Storage.Messages;

/// <summary>
/// The turn's bookkeeping on inbound messages: the next message to run with its dialog, the "processed" mark, the
/// retry claims and failures, parking and replay.
/// </summary>
public sealed class TurnStore(Database database) : ITurnStore
{
    private const int MaxListedText = 500;

    /// <summary>The oldest unprocessed message with its dialog, and whether another waits behind it: one statement.</summary>
    public Task<NextTurn?> ReadNextAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            // agent_calls_open: 1 while the dialog waits for an external agent's answer (the message waits too). Each row
            // carries its own message's dialog: after a close, the message behind may already be in the next dialog.
            var rows = (await c.QueryAsync<StoredMessage, StoredDialog, (StoredMessage Message, StoredDialog Dialog)>("""
                SELECT m.*, CASE WHEN EXISTS (SELECT 1 FROM agent_calls a WHERE a.dialog_id = m.dialog_id AND a.finished_at IS NULL) THEN 1 ELSE 0 END AS agent_calls_open,
                       d.*
                FROM messages m JOIN dialogs d ON d.id = m.dialog_id
                WHERE m.conversation_id = @conversationId AND m.direction = 'in' AND m.processed_at IS NULL
                ORDER BY m.seq LIMIT 2
                """, (message, dialog) => (message, dialog), new { conversationId }, splitOn: "id")).AsList();
            return rows.Count == 0 ? null : new NextTurn(rows[0].Message, rows[0].Dialog, rows.Count > 1);
        }, cancellationToken);

    public Task<StoredDialog> LoadDialogAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => LoadDialogAsync(c, dialogId), cancellationToken);

    private static async Task<StoredDialog> LoadDialogAsync(DbConnection c, string dialogId) =>
        await DialogReads.FindAsync(c, dialogId) ?? throw new InvalidOperationException($"Dialog '{dialogId}' does not exist.");

    /// <summary>Conversations with an unprocessed message that is due (<paramref name="now"/>) or older than <paramref name="staleBefore"/> with no retry set.</summary>
    public async Task<IReadOnlyList<string>> FindUnprocessedConversationsAsync(long now, long staleBefore, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>("""
            SELECT DISTINCT conversation_id FROM messages WHERE direction = 'in' AND processed_at IS NULL
              AND (turn_next_at <= @now OR (turn_next_at IS NULL AND created_at <= @staleBefore))
            """, new { now, staleBefore }), cancellationToken)).AsList();

    /// <summary>Adds the "processed" mark to a turn's batch; its row count is 0 when the message was done meanwhile.</summary>
    public static int AddProcessedMark(SqlBatch batch, string messageId, long now) =>
        batch.Add("UPDATE messages SET processed_at = @now WHERE id = @messageId AND processed_at IS NULL", new { now, messageId });

    /// <summary>Claims a retry run until <paramref name="leaseUntil"/>, counting it; false when it is not due or another run took it.</summary>
    public async Task<bool> ClaimRetryAsync(string messageId, int storedAttempts, long now, long leaseUntil, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE messages SET turn_attempts = turn_attempts + 1, turn_next_at = @leaseUntil
            WHERE id = @messageId AND processed_at IS NULL AND turn_attempts = @storedAttempts AND (turn_next_at IS NULL OR turn_next_at <= @now)
            """, new { messageId, storedAttempts, leaseUntil, now }, t), cancellationToken) == 1;

    /// <summary>Records a failed run, conditional on the count the run saw; false when another run already recorded it.</summary>
    public async Task<bool> RecordFailureAsync(string messageId, int attempts, int expectedAttempts, string error, long next, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE messages SET turn_attempts = @attempts, turn_error = @error, turn_next_at = @next
            WHERE id = @messageId AND processed_at IS NULL AND turn_attempts = @expectedAttempts
            """, new { messageId, attempts, error, next, expectedAttempts }, t), cancellationToken) == 1;

    /// <summary>Gives a claimed run back uncounted and due at <paramref name="now"/>.</summary>
    public Task ReleaseClaimAsync(string messageId, int attempts, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE messages SET turn_attempts = turn_attempts - 1, turn_next_at = @now
            WHERE id = @messageId AND processed_at IS NULL AND turn_attempts = @attempts
            """, new { messageId, attempts, now }, t), cancellationToken);

    /// <summary>The dialog, locked on PostgreSQL for the rest of the caller's transaction.</summary>
    public Task<StoredDialog> LockDialogAsync(DbConnection c, DbTransaction t, string dialogId) =>
        c.QuerySingleAsync<StoredDialog>($"SELECT * FROM dialogs WHERE id = @dialogId{database.ForUpdate}", new { dialogId }, t);

    /// <summary>Marks the message processed and parked with its last error; false when another run settled it first.</summary>
    public async Task<bool> MarkParkedAsync(DbConnection c, DbTransaction t, string messageId, int storedAttempts, int attempts, string error, long now) =>
        await c.ExecuteAsync("""
            UPDATE messages SET processed_at = @now, parked_at = @now, turn_attempts = @attempts, turn_error = @error, turn_next_at = NULL
            WHERE id = @messageId AND processed_at IS NULL AND turn_attempts = @storedAttempts
            """, new { messageId, now, attempts, error, storedAttempts }, t) == 1;

    /// <summary>Records a failure for the monitoring's error list.</summary>
    public static Task AddProcessingErrorAsync(DbConnection c, DbTransaction t, string kind, string subject, string text, long now) =>
        c.ExecuteAsync("INSERT INTO processing_errors (id, kind, subject, message, at) VALUES (@id, @kind, @subject, @text, @now)",
            new { id = Ids.New(), kind, subject, text, now }, t);

    public async Task<IReadOnlyList<ParkedMessageRow>> ListParkedAsync(int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ParkedMessageRow>($"""
            SELECT m.id, m.dialog_id, m.conversation_id, d.state AS dialog_state, SUBSTR(m.text, 1, {MaxListedText}) AS text,
                   m.turn_attempts, m.turn_error, m.created_at, m.parked_at
            FROM messages m JOIN dialogs d ON d.id = m.dialog_id
            WHERE m.parked_at IS NOT NULL
            ORDER BY m.parked_at DESC LIMIT @limit
            """, new { limit }), cancellationToken)).AsList();

    /// <summary>The inbound message with its dialog's state, or null when there is none.</summary>
    public async Task<ReplayCandidate?> FindForReplayAsync(DbConnection c, DbTransaction t, string messageId)
    {
        var row = await c.QueryFirstOrDefaultAsync<(string ConversationId, long? ParkedAt, string State)>("""
            SELECT m.conversation_id, m.parked_at, d.state FROM messages m JOIN dialogs d ON d.id = m.dialog_id
            WHERE m.id = @messageId AND m.direction = 'in'
            """, new { messageId }, t);
        return row.ConversationId is null ? null : new ReplayCandidate(row.ConversationId, row.ParkedAt, row.State);
    }

    /// <summary>Makes a parked message unprocessed again with a fresh count.</summary>
    public Task UnparkAsync(DbConnection c, DbTransaction t, string messageId) =>
        c.ExecuteAsync("""
            UPDATE messages SET processed_at = NULL, parked_at = NULL, turn_attempts = 0, turn_error = NULL, turn_next_at = NULL
            WHERE id = @messageId AND parked_at IS NOT NULL
            """, new { messageId }, t);
}
