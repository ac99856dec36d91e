using System.Data.Common;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Agents;

/// <summary>
/// The table of agent calls: written with the turn that decides a call, claimed with a lease by the dispatcher of
/// any node (a call whose node died is claimed again when the lease runs out), finished with its outcome.
/// </summary>
public sealed class AgentCallStore(Database database, TimeProvider time)
{
    public static Task AddAsync(DbConnection c, DbTransaction t, StoredDialog dialog, PendingAgentCall call, long now) =>
        // A repeated event id (a return to the agent noted twice) is one call.
        c.ExecuteAsync("""
            INSERT INTO agent_calls (id, dialog_id, conversation_id, agent_id, message_id, event, created_at, deadline_at, next_attempt_at, wait_notice_at)
            VALUES (@Id, @DialogId, @ConversationId, @AgentId, @MessageId, @Event, @now, @DeadlineAt, @now, @notice)
            ON CONFLICT (id) DO NOTHING
            """, new { call.Id, DialogId = dialog.Id, dialog.ConversationId, call.AgentId, call.MessageId, call.Event, now, call.DeadlineAt, notice = call.WaitNoticeGiven ? now : (long?)null }, t);

    /// <summary>Calls due now, oldest first, leaving out agents that have no free slot on this node.</summary>
    public Task<List<(string Id, string AgentId)>> FindDueAsync(IReadOnlyCollection<string> fullAgents, int limit, CancellationToken cancellationToken)
    {
        var now = time.NowMicros();
        var full = fullAgents.ToArray();
        var sql = $"""
            SELECT id, agent_id FROM agent_calls WHERE finished_at IS NULL AND next_attempt_at <= @now
            {(full.Length == 0 ? "" : $"AND NOT ({database.InList("agent_id", "full")})")}
            ORDER BY next_attempt_at LIMIT @limit
            """;
        return database.ReadAsync(async c => (await c.QueryAsync<(string, string)>(sql, new { now, full, limit })).AsList(), cancellationToken);
    }

    /// <summary>Takes a due call for one attempt, held until <paramref name="leaseUntil"/>; null when another took it first.</summary>
    public Task<AgentCallRow?> ClaimAsync(string id, long leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync<AgentCallRow?>(async (c, t) =>
        {
            var claimed = await c.ExecuteAsync("""
                UPDATE agent_calls SET attempts = attempts + 1, next_attempt_at = @leaseUntil
                WHERE id = @id AND finished_at IS NULL AND next_attempt_at <= @now
                """, new { id, leaseUntil, now = time.NowMicros() }, t);
            return claimed == 0 ? null : await c.QuerySingleAsync<AgentCallRow>("SELECT * FROM agent_calls WHERE id = @id", new { id }, t);
        }, cancellationToken);

    /// <summary>After a failed attempt that another may cure: the next one is due at <paramref name="nextAttemptAt"/>.</summary>
    public Task RescheduleAsync(string id, long nextAttemptAt, string error, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE agent_calls SET next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @id AND finished_at IS NULL",
            new { id, nextAttemptAt, error }, t), cancellationToken);

    /// <summary>Finishes a call that changes nothing on the dialog (accepted, dropped).</summary>
    public Task FinishAsync(string id, string outcome, string? error, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => FinishAsync(c, t, id, outcome, error), cancellationToken);

    /// <summary>Finishes the call in the caller's transaction; false when it was finished already (by another node).</summary>
    public async Task<bool> FinishAsync(DbConnection c, DbTransaction t, string id, string outcome, string? error) =>
        await c.ExecuteAsync(
            "UPDATE agent_calls SET finished_at = @now, outcome = @outcome, last_error = COALESCE(@error, last_error) WHERE id = @id AND finished_at IS NULL",
            new { id, outcome, error, now = time.NowMicros() }, t) == 1;

    /// <summary>
    /// Calls that failed for good, newest first: a client's message the agent never answered (its dialog went to the
    /// fallback) or a notice given up after its retry time.
    /// </summary>
    public Task<List<AgentCallRow>> ListFailedAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<AgentCallRow>(
            "SELECT * FROM agent_calls WHERE outcome = 'failed' ORDER BY finished_at DESC LIMIT @limit", new { limit })).AsList(), cancellationToken);

    public Task<AgentCallRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<AgentCallRow?>("SELECT * FROM agent_calls WHERE id = @id", new { id }), cancellationToken);

    /// <summary>A failed call made due again with fresh attempts until <paramref name="deadlineAt"/>; false when it is not failed (any more).</summary>
    public Task<bool> ReviveAsync(string id, long deadlineAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("""
            UPDATE agent_calls SET finished_at = NULL, outcome = NULL, attempts = 0, next_attempt_at = @now, deadline_at = @deadlineAt
            WHERE id = @id AND outcome = 'failed'
            """, new { id, deadlineAt, now = time.NowMicros() }, t) == 1, cancellationToken);

    /// <summary>The agent took the call (202) and owes its answer by <paramref name="answerDueAt"/>.</summary>
    public Task AcceptAsync(string id, long answerDueAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE agent_calls SET finished_at = @now, outcome = 'accepted', answer_due_at = @answerDueAt WHERE id = @id AND finished_at IS NULL
            """, new { id, answerDueAt, now = time.NowMicros() }, t), cancellationToken);

    /// <summary>Calls whose agent owes an answer that is overdue now, oldest first.</summary>
    public Task<List<AgentCallRow>> FindAnswerOverdueAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<AgentCallRow>(
            "SELECT * FROM agent_calls WHERE answer_due_at IS NOT NULL AND answer_due_at <= @now ORDER BY answer_due_at LIMIT @limit",
            new { now = time.NowMicros(), limit })).AsList(), cancellationToken);

    /// <summary>Takes an overdue answer for its fallback in the caller's transaction; false when it was answered or taken meanwhile.</summary>
    public static async Task<bool> ClaimOverdueAsync(DbConnection c, DbTransaction t, string id) =>
        await c.ExecuteAsync("UPDATE agent_calls SET answer_due_at = NULL WHERE id = @id AND answer_due_at IS NOT NULL", new { id }, t) == 1;

    /// <summary>The agent answered in the dialog (or lost it): no answer it owed there is awaited any more.</summary>
    public static Task ForgetAwaitedAnswersAsync(DbConnection c, DbTransaction t, string dialogId) =>
        c.ExecuteAsync("UPDATE agent_calls SET answer_due_at = NULL WHERE dialog_id = @dialogId AND answer_due_at IS NOT NULL", new { dialogId }, t);

    /// <summary>Forgets one awaited answer (its dialog is no longer the agent's).</summary>
    public Task ForgetAwaitedAnswerAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => ClaimOverdueAsync(c, t, id), cancellationToken);

    /// <summary>Whether the call is still open, locking it on PostgreSQL until the caller's transaction ends.</summary>
    public async Task<bool> LockOpenAsync(DbConnection c, DbTransaction t, string id) =>
        await c.ExecuteScalarAsync<long?>($"SELECT 1 FROM agent_calls WHERE id = @id AND finished_at IS NULL{database.ForUpdate}", new { id }, t) is not null;

    /// <summary>Open calls older than <paramref name="waitedSince"/> whose client was not told to wait yet.</summary>
    public Task<List<AgentCallRow>> FindUnannouncedAsync(long waitedSince, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<AgentCallRow>("""
            SELECT * FROM agent_calls WHERE finished_at IS NULL AND wait_notice_at IS NULL AND created_at <= @waitedSince
            ORDER BY created_at LIMIT 100
            """, new { waitedSince })).AsList(), cancellationToken);

    /// <summary>Marks the wait notice given, in the caller's transaction; false when the call was finished or announced meanwhile.</summary>
    public async Task<bool> MarkAnnouncedAsync(DbConnection c, DbTransaction t, string id) =>
        await c.ExecuteAsync("UPDATE agent_calls SET wait_notice_at = @now WHERE id = @id AND wait_notice_at IS NULL AND finished_at IS NULL",
            new { id, now = time.NowMicros() }, t) == 1;
}
