using BotEngine.Conversations;
using BotEngine.Storage.Dialogs;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>The dialogs and transcripts operators read, limited to what a <see cref="DialogScope"/> lets them see.</summary>
public sealed class DialogViewStore(Database database)
{
    /// <summary>
    /// Dialogs in any of <paramref name="states"/> (all states when empty), of <paramref name="operatorId"/> when given,
    /// most recent message first.
    /// </summary>
    public async Task<List<StoredDialog>> ListAsync(string[] states, string? operatorId, int limit, DialogScope scope, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StoredDialog>($"""
            SELECT * FROM dialogs
            WHERE {(states.Length == 0 ? "1 = 1" : database.InList("state", "states"))} AND (@operatorId IS NULL OR operator_id = @operatorId)
              AND {Predicate(scope)}
            ORDER BY last_message_at DESC LIMIT @limit
            """, new { states, operatorId, limit, accessOperator = scope.OperatorId }), cancellationToken)).AsList();

    public Task<StoredDialog?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => DialogReads.FindAsync(c, id), cancellationToken);

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE id = @id", new { id }), cancellationToken) > 0;

    /// <summary>Whether the dialog exists and the scope lets its reader see it.</summary>
    public async Task<bool> IsVisibleAsync(string dialogId, DialogScope scope, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM dialogs WHERE id = @dialogId AND {Predicate(scope)}", new { dialogId, accessOperator = scope.OperatorId }), cancellationToken) > 0;

    /// <summary>One dialog's messages in the order they were stored.</summary>
    public async Task<List<StoredMessage>> TranscriptAsync(string dialogId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StoredMessage>(
            "SELECT * FROM messages WHERE dialog_id = @id ORDER BY created_at, seq", new { id = dialogId }), cancellationToken)).AsList();

    /// <summary>The dialogs the operator holds that are not closed.</summary>
    public async Task<List<string>> OpenDialogIdsAsync(string operatorId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT id FROM dialogs WHERE operator_id = @OperatorId AND state <> 'closed'", new { OperatorId = operatorId }), cancellationToken)).AsList();

    /// <summary>A condition on the <c>dialogs</c> table with the parameter <c>@accessOperator</c>.</summary>
    private static string Predicate(DialogScope scope)
    {
        if (scope.SeesAll)
            return "1 = 1";
        const string own = """
            (dialogs.operator_id = @accessOperator
             OR EXISTS (SELECT 1 FROM dialog_events e WHERE e.dialog_id = dialogs.id AND e.operator_id = @accessOperator)
            """;
        return scope.SeesClientHistory
            ? own + " OR dialogs.client_id IN (SELECT h.client_id FROM dialogs h WHERE h.operator_id = @accessOperator AND h.state IN ('assigned', 'active')))"
            : own + ")";
    }
}
