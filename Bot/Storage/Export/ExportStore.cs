using Dapper;

namespace BotEngine.Storage.Export;

/// <summary>
/// The statements of the export API: dialogs with their messages by opening time or by last change, and the
/// statistics facts of closed dialogs by closing time; each pages by a (time, id) key so the order is stable.
/// </summary>
public sealed class ExportStore(Database database)
{
    private const string DialogColumns = """
        dl.id, dl.client_id, dl.channel, dl.state, dl.language, dl.operator_id, dl.call_centre, dl.line, dl.opened_at, dl.queued_at,
        dl.assigned_at, dl.closed_at, dl.closed_by, dl.close_topic, dl.rating, dl.rating_comment, dl.last_message_at,
        CASE WHEN EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id) THEN 1 ELSE 0 END AS test_client
        """;

    /// <summary>Dialogs opened in [from, to) after the (opened_at, id) key, in that order.</summary>
    public async Task<IReadOnlyList<ExportDialogRow>> OpenedAsync(long from, long to, long afterAt, string afterId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ExportDialogRow>($"""
            SELECT {DialogColumns} FROM dialogs dl
            WHERE dl.opened_at >= @from AND dl.opened_at < @to AND (dl.opened_at > @afterAt OR (dl.opened_at = @afterAt AND dl.id > @afterId))
            ORDER BY dl.opened_at, dl.id LIMIT @limit
            """, new { from, to, afterAt, afterId, limit }), cancellationToken)).AsList();

    /// <summary>Dialogs whose last message is after the (last_message_at, id) key and before <paramref name="to"/>, in that order.</summary>
    public async Task<IReadOnlyList<ExportDialogRow>> ChangedAsync(long to, long afterAt, string afterId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ExportDialogRow>($"""
            SELECT {DialogColumns} FROM dialogs dl
            WHERE dl.last_message_at < @to AND (dl.last_message_at > @afterAt OR (dl.last_message_at = @afterAt AND dl.id > @afterId))
            ORDER BY dl.last_message_at, dl.id LIMIT @limit
            """, new { to, afterAt, afterId, limit }), cancellationToken)).AsList();

    /// <summary>The messages of the dialogs, each dialog's in stored order.</summary>
    public async Task<ILookup<string, ExportMessageRow>> MessagesAsync(IReadOnlyList<string> dialogIds, CancellationToken cancellationToken)
    {
        if (dialogIds.Count == 0)
            return Array.Empty<ExportMessageRow>().ToLookup(m => m.DialogId);
        var ids = dialogIds.ToArray();
        return (await database.ReadAsync(c => c.QueryAsync<ExportMessageRow>($"""
            SELECT id, dialog_id, direction, author, author_id, text, channel, created_at FROM messages
            WHERE {database.InList("dialog_id", "ids")} ORDER BY dialog_id, created_at, seq, id
            """, new { ids }), cancellationToken)).ToLookup(m => m.DialogId);
    }

    /// <summary>
    /// Closed dialogs of real clients (test clients left out, as in statistics) with their stored facts, closed in
    /// [from, to) after the (closed_at, id) key. Only dialogs whose facts are stored are given: a dialog's facts are
    /// final then, so a row never changes once exported.
    /// </summary>
    public async Task<IReadOnlyList<ExportFactsRow>> FactsAsync(long from, long to, long afterAt, string afterId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ExportFactsRow>("""
            SELECT dl.id AS dialog_id, dl.client_id, dl.channel, dl.call_centre, dl.line, dl.operator_id, dl.opened_at, dl.closed_at,
                   dl.closed_by, dl.close_topic, dl.rating, df.queued_at, df.assignments, df.first_reply_at, df.messages, df.client_messages,
                   df.bot_messages, df.operator_messages, df.pairs, df.pair_micros
            FROM dialogs dl JOIN dialog_facts df ON df.dialog_id = dl.id
            WHERE dl.closed_at >= @from AND dl.closed_at < @to AND (dl.closed_at > @afterAt OR (dl.closed_at = @afterAt AND dl.id > @afterId))
              AND NOT EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id)
            ORDER BY dl.closed_at, dl.id LIMIT @limit
            """, new { from, to, afterAt, afterId, limit }), cancellationToken)).AsList();
}
