using Dapper;

namespace BotEngine.Storage.Statistics;

/// <summary>
/// Statistics computed from what the engine stores anyway (dialogs, their events, messages), never from counters kept
/// on the side, so a figure can be checked against the transcripts. Test clients (<c>test_clients</c>) are left out.
/// The statements are the same on SQLite and PostgreSQL; sums and averages are cast so both answer the same types.
/// </summary>
public sealed class StatisticsStore(Database database)
{
    private const string NotTest = "NOT EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id)";

    /// <summary>Dialogs opened in the period and what became of them.</summary>
    public Task<StatisticsSummaryRow> SummaryAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleAsync<StatisticsSummaryRow>($"""
            WITH d AS (
              SELECT dl.id, dl.opened_at, dl.closed_at, dl.closed_by,
                     (SELECT MIN(e.at) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'queued') AS queued_at,
                     (SELECT COUNT(*) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned') AS assignments
              FROM dialogs dl
              WHERE {DialogPredicate} AND {NotTest}
            ),
            m AS (
              SELECT msg.dialog_id, COUNT(*) AS messages,
                     SUM(CASE WHEN msg.author = 'client' THEN 1 ELSE 0 END) AS client_messages,
                     SUM(CASE WHEN msg.author = 'bot' THEN 1 ELSE 0 END) AS bot_messages,
                     SUM(CASE WHEN msg.author = 'operator' THEN 1 ELSE 0 END) AS operator_messages,
                     MIN(CASE WHEN msg.author = 'operator' THEN msg.created_at END) AS first_reply_at
              FROM d JOIN messages msg ON msg.dialog_id = d.id
              GROUP BY msg.dialog_id
            ),
            talk AS (
              SELECT msg.author, msg.created_at,
                     LAG(msg.author) OVER w AS prev_author, LAG(msg.created_at) OVER w AS prev_at
              FROM d JOIN messages msg ON msg.dialog_id = d.id
              WHERE msg.author IN ('client', 'operator')
              WINDOW w AS (PARTITION BY msg.dialog_id ORDER BY msg.created_at, msg.seq)
            ),
            pairs AS (
              SELECT COUNT(*) AS pairs, CAST(AVG(created_at - prev_at) AS DOUBLE PRECISION) AS avg_response
              FROM talk WHERE author = 'operator' AND prev_author = 'client'
            )
            SELECT COUNT(*) AS dialogs,
                   CAST(COALESCE(SUM(CASE WHEN d.assignments = 0 AND d.queued_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS handled_by_bot_only,
                   CAST(COALESCE(SUM(CASE WHEN d.assignments > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS handled_by_operators,
                   CAST(COALESCE(SUM(CASE WHEN d.assignments = 0 AND d.queued_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS queued_never_assigned,
                   CAST(COALESCE(SUM(CASE WHEN d.closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed,
                   CAST(COALESCE(SUM(CASE WHEN d.closed_by = 'bot' THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_bot,
                   CAST(COALESCE(SUM(CASE WHEN d.closed_by IN ('clienttimeout', 'idle') THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_timeout,
                   CAST(COALESCE(SUM(CASE WHEN d.closed_at IS NOT NULL AND d.closed_by NOT IN ('bot', 'clienttimeout', 'idle') THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_operators,
                   CAST(AVG(CASE WHEN d.closed_at IS NOT NULL THEN d.closed_at - d.opened_at END) AS DOUBLE PRECISION) AS avg_close_micros,
                   CAST(AVG(CASE WHEN d.queued_at IS NOT NULL THEN m.first_reply_at - d.queued_at END) AS DOUBLE PRECISION) AS avg_first_response_micros,
                   (SELECT avg_response FROM pairs) AS avg_response_micros,
                   (SELECT pairs FROM pairs) AS question_answer_pairs,
                   CAST(COALESCE(SUM(m.messages), 0) AS BIGINT) AS messages,
                   CAST(COALESCE(SUM(m.client_messages), 0) AS BIGINT) AS client_messages,
                   CAST(COALESCE(SUM(m.bot_messages), 0) AS BIGINT) AS bot_messages,
                   CAST(COALESCE(SUM(m.operator_messages), 0) AS BIGINT) AS operator_messages
            FROM d LEFT JOIN m ON m.dialog_id = d.id
            """, Parameters(filter)), cancellationToken);

    /// <summary>Every operator's figures in the period (operators who did nothing have zeros), by display name.</summary>
    public async Task<List<OperatorStatisticsRow>> OperatorsAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<OperatorStatisticsRow>($"""
            WITH assigned AS (
              SELECT e.operator_id, COUNT(DISTINCT e.dialog_id) AS dialogs
              FROM dialog_events e JOIN dialogs dl ON dl.id = e.dialog_id
              WHERE e.kind = 'assigned' AND e.at >= @From AND e.at < @To AND e.operator_id IS NOT NULL AND {DialogFilters} AND {NotTest}
              GROUP BY e.operator_id
            ),
            said AS (
              SELECT m.id, m.dialog_id, m.author_id, m.text
              FROM messages m JOIN dialogs dl ON dl.id = m.dialog_id
              WHERE m.author = 'operator' AND m.created_at >= @From AND m.created_at < @To AND {DialogFilters} AND {NotTest}
            ),
            said_by AS (
              SELECT author_id AS operator_id, COUNT(*) AS messages,
                     CAST(AVG(CASE WHEN text IS NOT NULL AND text <> '' THEN LENGTH(text) END) AS DOUBLE PRECISION) AS avg_length
              FROM said GROUP BY author_id
            ),
            talk AS (
              SELECT m.id, m.author, m.created_at,
                     LAG(m.author) OVER w AS prev_author, LAG(m.created_at) OVER w AS prev_at
              FROM messages m
              WHERE m.author IN ('client', 'operator') AND m.dialog_id IN (SELECT dialog_id FROM said)
              WINDOW w AS (PARTITION BY m.dialog_id ORDER BY m.created_at, m.seq)
            ),
            pairs AS (
              SELECT s.author_id AS operator_id, COUNT(*) AS pairs, CAST(AVG(t.created_at - t.prev_at) AS DOUBLE PRECISION) AS avg_response
              FROM talk t JOIN said s ON s.id = t.id
              WHERE t.prev_author = 'client'
              GROUP BY s.author_id
            ),
            closes AS (
              SELECT dl.closed_by AS operator_id, COUNT(*) AS closed,
                     CAST(AVG(CASE WHEN dl.assigned_at IS NOT NULL THEN dl.closed_at - dl.assigned_at END) AS DOUBLE PRECISION) AS avg_close
              FROM dialogs dl
              WHERE dl.closed_at >= @From AND dl.closed_at < @To AND dl.closed_by IS NOT NULL AND {DialogFilters} AND {NotTest}
              GROUP BY dl.closed_by
            )
            SELECT o.id AS operator_id, o.login, o.display_name,
                   COALESCE(a.dialogs, 0) AS dialogs, COALESCE(s.messages, 0) AS messages,
                   COALESCE(p.pairs, 0) AS question_answer_pairs, COALESCE(cl.closed, 0) AS closed,
                   cl.avg_close AS avg_close_micros, p.avg_response AS avg_response_micros, s.avg_length AS avg_message_length
            FROM operators o
            LEFT JOIN assigned a ON a.operator_id = o.id
            LEFT JOIN said_by s ON s.operator_id = o.id
            LEFT JOIN pairs p ON p.operator_id = o.id
            LEFT JOIN closes cl ON cl.operator_id = o.id
            ORDER BY o.display_name, o.login
            """, Parameters(filter)), cancellationToken)).AsList();

    /// <summary>
    /// Dialogs opened in the period per time bucket of <paramref name="stepMicros"/> from the period's start; the key is
    /// the bucket's number (0 = the first). Buckets without dialogs are left out.
    /// </summary>
    public async Task<List<CountRow>> SeriesAsync(StatisticsFilter filter, long stepMicros, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CountRow>($"""
            SELECT CAST((dl.opened_at - @From) / @step AS TEXT) AS key, COUNT(*) AS dialogs,
                   CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned') THEN 1 ELSE 0 END) AS BIGINT) AS handled_by_operators
            FROM dialogs dl
            WHERE {DialogPredicate} AND {NotTest}
            GROUP BY (dl.opened_at - @From) / @step
            """, new { filter.From, filter.To, filter.CallCentre, filter.Line, filter.Channel, step = stepMicros }), cancellationToken)).AsList();

    /// <summary>Dialogs opened in the period by channel, or by closing topic (dialogs without one under "").</summary>
    public async Task<List<CountRow>> BreakdownAsync(StatisticsFilter filter, bool byTopic, CancellationToken cancellationToken)
    {
        var key = byTopic ? "COALESCE(dl.close_topic, '')" : "dl.channel";
        return (await database.ReadAsync(c => c.QueryAsync<CountRow>($"""
            SELECT {key} AS key, COUNT(*) AS dialogs,
                   CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned') THEN 1 ELSE 0 END) AS BIGINT) AS handled_by_operators
            FROM dialogs dl
            WHERE {DialogPredicate} AND {NotTest}
            GROUP BY {key}
            ORDER BY COUNT(*) DESC, {key}
            """, Parameters(filter)), cancellationToken)).AsList();
    }

    private const string DialogFilters = """
        (@CallCentre IS NULL OR dl.call_centre = @CallCentre) AND (@Line IS NULL OR dl.line = @Line) AND (@Channel IS NULL OR dl.channel = @Channel)
        """;

    private const string DialogPredicate = "dl.opened_at >= @From AND dl.opened_at < @To AND " + DialogFilters;

    private static object Parameters(StatisticsFilter filter) => new { filter.From, filter.To, filter.CallCentre, filter.Line, filter.Channel };
}
