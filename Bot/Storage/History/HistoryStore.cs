using Dapper;

namespace BotEngine.Storage.History;

/// <summary>
/// History search over every stored dialog (supervisors' view_dialogs_search): conditions on the dialog, its
/// operators and its messages' text, newest first, paged by position. Full text is FTS5 on SQLite (see
/// <see cref="SearchText"/>) and a GIN index on the 'russian' text search configuration on PostgreSQL (migration 015).
/// Also a dialog's events for the timeline, and the test-client marks that statistics leave out.
/// </summary>
public sealed class HistoryStore(Database database, MessageSearchIndex searchIndex)
{
    public async Task<List<HistoryDialogRow>> SearchAsync(HistoryFilter filter, CancellationToken cancellationToken)
    {
        var words = filter.Text is null ? [] : SearchText.Words(filter.Text);
        var postgres = database.Dialect == SqlDialect.Postgres;
        // SQLite indexes messages in batches: the ones stored since the last batch are indexed first, so none is missed.
        if (words.Count > 0)
            await searchIndex.CatchUpAsync(cancellationToken);
        // Messages whose text matches: the same condition serves the filter and the snippet.
        var matches = postgres
            ? "to_tsvector('russian', coalesce(m.text, '')) @@ plainto_tsquery('russian', @Text)"
            : "m.id IN (SELECT s.message_id FROM message_search s WHERE message_search MATCH @Match)";
        var conditions = new List<string> { "dl.opened_at >= @From", "dl.opened_at < @To" };
        if (words.Count > 0)
            conditions.Add($"EXISTS (SELECT 1 FROM messages m WHERE m.dialog_id = dl.id AND {matches})");
        if (filter.OperatorId is not null)
            conditions.Add("(dl.operator_id = @OperatorId OR EXISTS (SELECT 1 FROM dialog_events e WHERE e.dialog_id = dl.id AND e.operator_id = @OperatorId))");
        if (filter.Channel is not null)
            conditions.Add("dl.channel = @Channel");
        if (filter.Topic is not null)
            conditions.Add("dl.close_topic = @Topic");
        if (filter.Line is not null)
            conditions.Add("dl.line = @Line");
        if (filter.State is not null)
            conditions.Add("dl.state = @State");
        conditions.AddRange(filter.ClosedBy switch
        {
            "bot" => ["dl.closed_by = 'bot'"],
            "timeout" => ["dl.closed_by IN ('clienttimeout', 'idle')"],
            "operator" => ["dl.closed_at IS NOT NULL", "dl.closed_by NOT IN ('bot', 'clienttimeout', 'idle')"],
            _ => [],
        });
        if (filter.Client is not null)
            conditions.Add($"(dl.client_id = @Client OR cl.display_name {(postgres ? "ILIKE" : "LIKE")} @ClientPattern)");
        if (filter.After is not null)
            conditions.Add("(dl.opened_at < @AfterOpenedAt OR (dl.opened_at = @AfterOpenedAt AND dl.id < @AfterId))");
        // SQLite's matching subquery is costly per dialog; as a dialog list it runs once.
        var sql = $"""
            SELECT dl.id, dl.client_id, cl.display_name AS client_name, dl.channel, dl.call_centre, dl.line, dl.language, dl.state,
                   COALESCE(dl.operator_id, (SELECT e.operator_id FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned' ORDER BY e.at DESC LIMIT 1)) AS operator_id,
                   dl.opened_at, dl.closed_at, dl.closed_by, dl.close_topic, dl.client_dissatisfied,
                   (SELECT COUNT(*) FROM messages m WHERE m.dialog_id = dl.id) AS messages,
                   {(words.Count > 0 ? $"(SELECT m.text FROM messages m WHERE m.dialog_id = dl.id AND {matches} ORDER BY m.created_at, m.seq LIMIT 1)" : "NULL")} AS snippet,
                   CASE WHEN EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id) THEN 1 ELSE 0 END AS test_client
            FROM dialogs dl LEFT JOIN clients cl ON cl.id = dl.client_id
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY dl.opened_at DESC, dl.id DESC
            LIMIT @Limit
            """;
        var rows = (await database.ReadAsync(c => c.QueryAsync<HistoryDialogRow>(sql, new
        {
            filter.From, filter.To, Text = filter.Text ?? "", Match = SearchText.Fts5Query(words), filter.OperatorId, filter.Channel, filter.Topic,
            filter.Line, filter.State, filter.Client, ClientPattern = "%" + Like(filter.Client ?? "") + "%",
            AfterOpenedAt = filter.After?.OpenedAt ?? 0, AfterId = filter.After?.DialogId ?? "", filter.Limit,
        }), cancellationToken)).AsList();
        return await WithOperatorNamesAsync(rows, cancellationToken);
    }

    /// <summary>One dialog as the history lists it (whatever its period), or null.</summary>
    public async Task<HistoryDialogRow?> FindAsync(string dialogId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<HistoryDialogRow>("""
            SELECT dl.id, dl.client_id, cl.display_name AS client_name, dl.channel, dl.call_centre, dl.line, dl.language, dl.state,
                   COALESCE(dl.operator_id, (SELECT e.operator_id FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned' ORDER BY e.at DESC LIMIT 1)) AS operator_id,
                   dl.opened_at, dl.closed_at, dl.closed_by, dl.close_topic, dl.client_dissatisfied,
                   (SELECT COUNT(*) FROM messages m WHERE m.dialog_id = dl.id) AS messages, NULL AS snippet,
                   CASE WHEN EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id) THEN 1 ELSE 0 END AS test_client
            FROM dialogs dl LEFT JOIN clients cl ON cl.id = dl.client_id WHERE dl.id = @dialogId
            """, new { dialogId }), cancellationToken);
        return row is null ? null : (await WithOperatorNamesAsync([row], cancellationToken))[0];
    }

    /// <summary>
    /// A dialog's events in the order they happened. Events of one instant (queued and assigned at once) have no stored
    /// order between them, so they take the order a dialog lives in.
    /// </summary>
    public async Task<List<DialogEventRow>> EventsAsync(string dialogId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<DialogEventRow>("""
            SELECT kind, operator_id, at, data FROM dialog_events WHERE dialog_id = @dialogId
            ORDER BY at, CASE kind WHEN 'opened' THEN 0 WHEN 'queued' THEN 1 WHEN 'assigned' THEN 2 WHEN 'accepted' THEN 3 WHEN 'closed' THEN 9 ELSE 5 END
            """, new { dialogId }), cancellationToken)).AsList();

    /// <summary>Marks a client as a test client (left out of statistics) or clears the mark; false when the client does not exist.</summary>
    public Task<bool> SetTestClientAsync(string clientId, bool test, string operatorId, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM clients WHERE id = @clientId", new { clientId }, t) == 0)
                return false;
            await c.ExecuteAsync("DELETE FROM test_clients WHERE client_id = @clientId", new { clientId }, t);
            if (test)
                await c.ExecuteAsync("INSERT INTO test_clients (client_id, marked_by, marked_at) VALUES (@clientId, @operatorId, @now)", new { clientId, operatorId, now }, t);
            return true;
        }, cancellationToken);

    private async Task<List<HistoryDialogRow>> WithOperatorNamesAsync(List<HistoryDialogRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.OperatorId).OfType<string>().Distinct().ToArray();
        if (ids.Length == 0)
            return rows;
        var names = (await database.ReadAsync(c => c.QueryAsync<(string Id, string DisplayName)>(
            $"SELECT id, display_name FROM operators WHERE {database.InList("id", "ids")}", new { ids }), cancellationToken)).ToDictionary(n => n.Id, n => n.DisplayName);
        return rows.Select(r => r.OperatorId is { } id && names.TryGetValue(id, out var name) ? r with { OperatorName = name } : r).ToList();
    }

    private static string Like(string value) => value.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}
