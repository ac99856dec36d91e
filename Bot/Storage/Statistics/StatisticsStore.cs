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

    /// <summary>
    /// Dialogs opened in the period and what became of them: closed dialogs from their stored facts, the others (open,
    /// or closed too recently to have facts) computed from their messages with the same statement.
    /// </summary>
    public Task<StatisticsSummaryRow> SummaryAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync((c, t) => c.QuerySingleAsync<StatisticsSummaryRow>($"""
            WITH f AS (
              SELECT dl.opened_at, dl.closed_at, dl.closed_by, df.queued_at, df.assignments, df.first_reply_at, df.messages, df.client_messages,
                     df.bot_messages, df.operator_messages, df.pairs, df.pair_micros
              FROM dialogs dl JOIN dialog_facts df ON df.dialog_id = dl.id
              WHERE {DialogPredicate} AND {NotTest}
              UNION ALL
              SELECT dl.opened_at, dl.closed_at, dl.closed_by, live.queued_at, live.assignments, live.first_reply_at, live.messages, live.client_messages,
                     live.bot_messages, live.operator_messages, live.pairs, live.pair_micros
              FROM ({DialogFactsSql(Unfacted)}) live JOIN dialogs dl ON dl.id = live.dialog_id
            )
            SELECT COUNT(*) AS dialogs,
                   CAST(COALESCE(SUM(CASE WHEN f.assignments = 0 AND f.queued_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS handled_by_bot_only,
                   CAST(COALESCE(SUM(CASE WHEN f.assignments > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS handled_by_operators,
                   CAST(COALESCE(SUM(CASE WHEN f.assignments = 0 AND f.queued_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS queued_never_assigned,
                   CAST(COALESCE(SUM(CASE WHEN f.closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed,
                   CAST(COALESCE(SUM(CASE WHEN f.closed_by = 'bot' THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_bot,
                   CAST(COALESCE(SUM(CASE WHEN f.closed_by IN ('clienttimeout', 'idle') THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_timeout,
                   CAST(COALESCE(SUM(CASE WHEN f.closed_at IS NOT NULL AND f.closed_by NOT IN ('bot', 'clienttimeout', 'idle') THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed_by_operators,
                   CAST(AVG(CASE WHEN f.closed_at IS NOT NULL THEN f.closed_at - f.opened_at END) AS DOUBLE PRECISION) AS avg_close_micros,
                   CAST(AVG(CASE WHEN f.queued_at IS NOT NULL THEN f.first_reply_at - f.queued_at END) AS DOUBLE PRECISION) AS avg_first_response_micros,
                   CAST(SUM(f.pair_micros) AS DOUBLE PRECISION) / NULLIF(CAST(SUM(f.pairs) AS DOUBLE PRECISION), 0) AS avg_response_micros,
                   CAST(COALESCE(SUM(f.pairs), 0) AS BIGINT) AS question_answer_pairs,
                   CAST(COALESCE(SUM(f.messages), 0) AS BIGINT) AS messages,
                   CAST(COALESCE(SUM(f.client_messages), 0) AS BIGINT) AS client_messages,
                   CAST(COALESCE(SUM(f.bot_messages), 0) AS BIGINT) AS bot_messages,
                   CAST(COALESCE(SUM(f.operator_messages), 0) AS BIGINT) AS operator_messages
            FROM f
            """, Parameters(filter), t), cancellationToken);

    /// <summary>
    /// Every operator's figures over the dialogs opened in the period (operators who did nothing have zeros), by
    /// display name: dialogs assigned to them, their messages and answered pairs, the dialogs they closed.
    /// </summary>
    public async Task<List<OperatorStatisticsRow>> OperatorsAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        (await ReadAsync((c, t) => c.QueryAsync<OperatorStatisticsRow>($"""
            WITH scope AS (
              SELECT dl.id, dl.closed_by, dl.closed_at, dl.assigned_at FROM dialogs dl WHERE {DialogPredicate} AND {NotTest}
            ),
            per_dialog AS (
              SELECT ofa.operator_id, ofa.messages, ofa.text_messages, ofa.text_chars, ofa.pairs, ofa.pair_micros
              FROM scope s JOIN operator_facts ofa ON ofa.dialog_id = s.id
              UNION ALL
              SELECT live.operator_id, live.messages, live.text_messages, live.text_chars, live.pairs, live.pair_micros
              FROM ({OperatorFactsSql(Unfacted)}) live
            ),
            said AS (
              SELECT operator_id, CAST(SUM(messages) AS BIGINT) AS messages, CAST(SUM(pairs) AS BIGINT) AS pairs,
                     CAST(SUM(pair_micros) AS DOUBLE PRECISION) / NULLIF(CAST(SUM(pairs) AS DOUBLE PRECISION), 0) AS avg_response,
                     CAST(SUM(text_chars) AS DOUBLE PRECISION) / NULLIF(CAST(SUM(text_messages) AS DOUBLE PRECISION), 0) AS avg_length
              FROM per_dialog GROUP BY operator_id
            ),
            assigned AS (
              SELECT e.operator_id, COUNT(DISTINCT e.dialog_id) AS dialogs
              FROM dialog_events e JOIN scope s ON s.id = e.dialog_id
              WHERE e.kind = 'assigned' AND e.operator_id IS NOT NULL
              GROUP BY e.operator_id
            ),
            closes AS (
              SELECT closed_by AS operator_id, COUNT(*) AS closed,
                     CAST(AVG(CASE WHEN assigned_at IS NOT NULL THEN closed_at - assigned_at END) AS DOUBLE PRECISION) AS avg_close
              FROM scope WHERE closed_at IS NOT NULL AND closed_by IS NOT NULL
              GROUP BY closed_by
            )
            SELECT o.id AS operator_id, o.login, o.display_name,
                   COALESCE(a.dialogs, 0) AS dialogs, COALESCE(s.messages, 0) AS messages,
                   COALESCE(s.pairs, 0) AS question_answer_pairs, COALESCE(cl.closed, 0) AS closed,
                   cl.avg_close AS avg_close_micros, s.avg_response AS avg_response_micros, s.avg_length AS avg_message_length
            FROM operators o
            LEFT JOIN assigned a ON a.operator_id = o.id
            LEFT JOIN said s ON s.operator_id = o.id
            LEFT JOIN closes cl ON cl.operator_id = o.id
            ORDER BY o.display_name, o.login
            """, Parameters(filter), t), cancellationToken)).AsList();

    /// <summary>
    /// Stores the facts of dialogs that closed before <paramref name="closedBefore"/> and at or after
    /// <paramref name="closedSince"/> and have none yet, at most <paramref name="limit"/> of them (oldest closing
    /// first); answers how many. Two nodes doing it at once store each dialog's facts once.
    /// </summary>
    public Task<int> StoreFactsAsync(long closedSince, long closedBefore, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (database.Dialect == SqlDialect.Postgres)
                await c.ExecuteAsync("SET LOCAL jit = off", transaction: t);
            var ids = (await c.QueryAsync<string>("""
                SELECT id FROM dialogs dl
                WHERE dl.closed_at IS NOT NULL AND dl.closed_at >= @closedSince AND dl.closed_at < @closedBefore
                  AND NOT EXISTS (SELECT 1 FROM dialog_facts df WHERE df.dialog_id = dl.id)
                ORDER BY dl.closed_at LIMIT @limit
                """, new { closedSince, closedBefore, limit }, t)).AsList();
            if (ids.Count == 0)
                return 0;
            var batch = database.InList("dl.id", "ids");
            await c.ExecuteAsync($"""
                INSERT INTO dialog_facts (dialog_id, queued_at, assignments, first_reply_at, messages, client_messages, bot_messages, operator_messages, pairs, pair_micros)
                SELECT dialog_id, queued_at, assignments, first_reply_at, messages, client_messages, bot_messages, operator_messages, pairs, pair_micros
                FROM ({DialogFactsSql(batch)}) x WHERE 1 = 1
                ON CONFLICT DO NOTHING
                """, new { ids }, t);
            await c.ExecuteAsync($"""
                INSERT INTO operator_facts (dialog_id, operator_id, messages, text_messages, text_chars, pairs, pair_micros)
                SELECT dialog_id, operator_id, messages, text_messages, text_chars, pairs, pair_micros
                FROM ({OperatorFactsSql(batch)}) x WHERE 1 = 1
                ON CONFLICT DO NOTHING
                """, new { ids }, t);
            return ids.Count;
        }, cancellationToken);

    // The dialogs of the period that have no stored facts yet (open, or closed moments ago).
    private const string Unfacted = DialogPredicate + " AND " + NotTest + " AND NOT EXISTS (SELECT 1 FROM dialog_facts df WHERE df.dialog_id = dl.id)";

    /// <summary>
    /// One row of facts per dialog that <paramref name="where"/> (a condition on <c>dl</c>) selects: first queueing,
    /// assignments, first operator message, message counts by author, and pairs (an operator message right after a
    /// client message, among client and operator messages, in stored order) with the sum of their delays.
    /// </summary>
    private static string DialogFactsSql(string where) => $"""
        WITH d AS (
          SELECT dl.id,
                 (SELECT MIN(e.at) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'queued') AS queued_at,
                 (SELECT COUNT(*) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned') AS assignments
          FROM dialogs dl WHERE {where}
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
          SELECT msg.dialog_id, msg.author, msg.created_at,
                 LAG(msg.author) OVER w AS prev_author, LAG(msg.created_at) OVER w AS prev_at
          FROM d JOIN messages msg ON msg.dialog_id = d.id
          WHERE msg.author IN ('client', 'operator')
          WINDOW w AS (PARTITION BY msg.dialog_id ORDER BY msg.created_at, msg.seq)
        ),
        p AS (
          SELECT dialog_id, COUNT(*) AS pairs, SUM(created_at - prev_at) AS pair_micros
          FROM talk WHERE author = 'operator' AND prev_author = 'client'
          GROUP BY dialog_id
        )
        SELECT d.id AS dialog_id, d.queued_at, d.assignments, m.first_reply_at,
               CAST(COALESCE(m.messages, 0) AS BIGINT) AS messages, CAST(COALESCE(m.client_messages, 0) AS BIGINT) AS client_messages,
               CAST(COALESCE(m.bot_messages, 0) AS BIGINT) AS bot_messages, CAST(COALESCE(m.operator_messages, 0) AS BIGINT) AS operator_messages,
               CAST(COALESCE(p.pairs, 0) AS BIGINT) AS pairs, CAST(COALESCE(p.pair_micros, 0) AS BIGINT) AS pair_micros
        FROM d LEFT JOIN m ON m.dialog_id = d.id LEFT JOIN p ON p.dialog_id = d.id
        """;

    /// <summary>Per dialog that <paramref name="where"/> selects and operator who wrote in it: messages, text, answered pairs.</summary>
    private static string OperatorFactsSql(string where) => $"""
        WITH d AS (SELECT dl.id FROM dialogs dl WHERE {where}),
        talk AS (
          SELECT msg.dialog_id, msg.author, msg.author_id, msg.text, msg.created_at,
                 LAG(msg.author) OVER w AS prev_author, LAG(msg.created_at) OVER w AS prev_at
          FROM d JOIN messages msg ON msg.dialog_id = d.id
          WHERE msg.author IN ('client', 'operator')
          WINDOW w AS (PARTITION BY msg.dialog_id ORDER BY msg.created_at, msg.seq)
        )
        SELECT dialog_id, author_id AS operator_id, CAST(COUNT(*) AS BIGINT) AS messages,
               CAST(SUM(CASE WHEN text IS NOT NULL AND text <> '' THEN 1 ELSE 0 END) AS BIGINT) AS text_messages,
               CAST(SUM(CASE WHEN text IS NOT NULL AND text <> '' THEN LENGTH(text) ELSE 0 END) AS BIGINT) AS text_chars,
               CAST(SUM(CASE WHEN prev_author = 'client' THEN 1 ELSE 0 END) AS BIGINT) AS pairs,
               CAST(SUM(CASE WHEN prev_author = 'client' THEN created_at - prev_at ELSE 0 END) AS BIGINT) AS pair_micros
        FROM talk WHERE author = 'operator' AND author_id IS NOT NULL
        GROUP BY dialog_id, author_id
        """;

    /// <summary>
    /// Dialogs opened in the period per time bucket of <paramref name="stepMicros"/> from the period's start; the key is
    /// the bucket's number (0 = the first). Buckets without dialogs are left out.
    /// </summary>
    public async Task<List<CountRow>> SeriesAsync(StatisticsFilter filter, long stepMicros, CancellationToken cancellationToken) =>
        (await ReadAsync((c, t) => c.QueryAsync<CountRow>($"""
            SELECT CAST((dl.opened_at - @From) / @step AS TEXT) AS key, COUNT(*) AS dialogs,
                   CAST(SUM(CASE WHEN COALESCE(df.assignments, (SELECT COUNT(*) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned')) > 0 THEN 1 ELSE 0 END) AS BIGINT) AS handled_by_operators
            FROM dialogs dl LEFT JOIN dialog_facts df ON df.dialog_id = dl.id
            WHERE {DialogPredicate} AND {NotTest}
            GROUP BY (dl.opened_at - @From) / @step
            """, new { filter.From, filter.To, filter.CallCentre, filter.Line, filter.Channel, step = stepMicros }, t), cancellationToken)).AsList();

    /// <summary>Dialogs opened in the period by channel, or by closing topic (dialogs without one under "").</summary>
    public async Task<List<CountRow>> BreakdownAsync(StatisticsFilter filter, bool byTopic, CancellationToken cancellationToken)
    {
        var key = byTopic ? "COALESCE(dl.close_topic, '')" : "dl.channel";
        return (await ReadAsync((c, t) => c.QueryAsync<CountRow>($"""
            SELECT {key} AS key, COUNT(*) AS dialogs,
                   CAST(SUM(CASE WHEN COALESCE(df.assignments, (SELECT COUNT(*) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned')) > 0 THEN 1 ELSE 0 END) AS BIGINT) AS handled_by_operators
            FROM dialogs dl LEFT JOIN dialog_facts df ON df.dialog_id = dl.id
            WHERE {DialogPredicate} AND {NotTest}
            GROUP BY {key}
            ORDER BY COUNT(*) DESC, {key}
            """, Parameters(filter), t), cancellationToken)).AsList();
    }

    /// <summary>
    /// A read for figures. On PostgreSQL it runs without JIT compilation (in its own transaction, so the setting ends
    /// with it): these statements are planned as expensive, and compiling them cost more (0.6 s measured) than running them.
    /// </summary>
    private Task<T> ReadAsync<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        database.Dialect != SqlDialect.Postgres
            ? database.ReadAsync(c => work(c, null), cancellationToken)
            : database.ReadAsync(async c =>
            {
                await using var t = await c.BeginTransactionAsync(cancellationToken);
                await c.ExecuteAsync("SET LOCAL jit = off", transaction: t);
                var result = await work(c, t);
                await t.CommitAsync(cancellationToken);
                return result;
            }, cancellationToken);

    private const string DialogFilters = """
        (@CallCentre IS NULL OR dl.call_centre = @CallCentre) AND (@Line IS NULL OR dl.line = @Line) AND (@Channel IS NULL OR dl.channel = @Channel)
        """;

    private const string DialogPredicate = "dl.opened_at >= @From AND dl.opened_at < @To AND " + DialogFilters;

    private static object Parameters(StatisticsFilter filter) => new { filter.From, filter.To, filter.CallCentre, filter.Line, filter.Channel };
}
