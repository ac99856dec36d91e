using Dapper;

namespace BotEngine.Storage.Statistics;

/// <summary>
/// Statistics computed from what the engine stores anyway (dialogs, their events, messages): a closed dialog's facts
/// are computed once from them, and summed per 15 minutes into buckets in the same transaction, so a month reads a few
/// thousand bucket rows. A period's figures are its whole quarter hours from the buckets, its unaligned edges and the
/// dialogs without facts yet from the dialogs; test clients (<c>test_clients</c>) are left out, their dialogs' facts
/// subtracted from the buckets at read time (so marking a client later changes no stored sum). The statements are the
/// same on SQLite and PostgreSQL; sums and averages are cast so both answer the same types.
/// </summary>
public sealed class StatisticsStore(Database database)
{
    private const string NotTest = "NOT EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = dl.client_id)";

    /// <summary>
    /// Dialogs opened in the period and what became of them: the whole 15 minutes inside the period from the buckets,
    /// less test clients' dialogs there; the period's unaligned edges from the dialogs' facts; dialogs without facts
    /// (open, or closed too recently) computed from their messages with the same statement that stores facts.
    /// </summary>
    public Task<StatisticsSummaryRow> SummaryAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync((c, t) => c.QuerySingleAsync<StatisticsSummaryRow>($"""
            WITH {UnfactedCte},
            live_rows AS (
              {StatisticsBuckets.FactRows(Edges + " AND " + NotTest)}
              UNION ALL
              SELECT dl.opened_at, dl.closed_at, dl.closed_by, dl.call_centre, dl.line, dl.channel, dl.close_topic, live.queued_at, live.assignments,
                     live.first_reply_at, live.pairs, live.pair_micros, live.messages, live.client_messages, live.bot_messages, live.operator_messages
              FROM ({DialogFactsSql(UnfactedInSummary)}) live JOIN dialogs dl ON dl.id = live.dialog_id
            ),
            test_rows AS ({StatisticsBuckets.FactRows(Core, TestDialogs)}),
            s AS (
              SELECT {StatisticsBuckets.BucketSums(StatisticsBuckets.DialogColumns)} FROM statistics_buckets b WHERE {BucketPredicate}
              UNION ALL
              SELECT {StatisticsBuckets.DialogSums()} FROM live_rows f
              UNION ALL
              SELECT {StatisticsBuckets.DialogSums("-")} FROM test_rows f
            )
            SELECT CAST(SUM(s.dialogs) AS BIGINT) AS dialogs, CAST(SUM(s.bot_only) AS BIGINT) AS handled_by_bot_only,
                   CAST(SUM(s.handled_by_operators) AS BIGINT) AS handled_by_operators, CAST(SUM(s.queued_never_assigned) AS BIGINT) AS queued_never_assigned,
                   CAST(SUM(s.closed) AS BIGINT) AS closed, CAST(SUM(s.closed_by_bot) AS BIGINT) AS closed_by_bot,
                   CAST(SUM(s.closed_by_timeout) AS BIGINT) AS closed_by_timeout, CAST(SUM(s.closed_by_operators) AS BIGINT) AS closed_by_operators,
                   {Average("SUM(s.close_micros)", "SUM(s.closed)")} AS avg_close_micros,
                   {Average("SUM(s.first_response_micros)", "SUM(s.first_responses)")} AS avg_first_response_micros,
                   {Average("SUM(s.pair_micros)", "SUM(s.pairs)")} AS avg_response_micros,
                   CAST(SUM(s.pairs) AS BIGINT) AS question_answer_pairs, CAST(SUM(s.messages) AS BIGINT) AS messages,
                   CAST(SUM(s.client_messages) AS BIGINT) AS client_messages, CAST(SUM(s.bot_messages) AS BIGINT) AS bot_messages,
                   CAST(SUM(s.operator_messages) AS BIGINT) AS operator_messages
            FROM s
            """, Parameters(filter), t), cancellationToken);

    /// <summary>
    /// Every operator's figures over the dialogs opened in the period (operators who did nothing have zeros), by
    /// display name: dialogs assigned to them, their messages and answered pairs, the dialogs they closed. Taken from
    /// the buckets and the dialogs' facts as <see cref="SummaryAsync"/> does.
    /// </summary>
    public async Task<List<OperatorStatisticsRow>> OperatorsAsync(StatisticsFilter filter, CancellationToken cancellationToken) =>
        (await ReadAsync((c, t) => c.QueryAsync<OperatorStatisticsRow>($"""
            WITH {UnfactedCte},
            live_dialogs AS MATERIALIZED (
              SELECT dl.id, dl.closed_at, dl.closed_by, dl.assigned_at FROM dialogs dl
              WHERE {Edges} AND {NotTest} AND EXISTS (SELECT 1 FROM dialog_facts df WHERE df.dialog_id = dl.id)
              UNION ALL
              SELECT dl.id, dl.closed_at, dl.closed_by, dl.assigned_at FROM dialogs dl WHERE {InUnfacted}
            ),
            live_said AS (
              SELECT ofa.dialog_id, ofa.operator_id, ofa.messages, ofa.text_messages, ofa.text_chars, ofa.pairs, ofa.pair_micros
              FROM operator_facts ofa JOIN live_dialogs ld ON ld.id = ofa.dialog_id
              UNION ALL
              SELECT u.dialog_id, u.operator_id, u.messages, u.text_messages, u.text_chars, u.pairs, u.pair_micros FROM ({OperatorFactsSql(InUnfacted)}) u
            ),
            test_dialogs AS (
              SELECT dl.id, dl.closed_at, dl.closed_by, dl.assigned_at FROM {TestDialogs}
              WHERE {Core} AND EXISTS (SELECT 1 FROM dialog_facts df WHERE df.dialog_id = dl.id)
            ),
            test_said AS (
              SELECT ofa.dialog_id, ofa.operator_id, ofa.messages, ofa.text_messages, ofa.text_chars, ofa.pairs, ofa.pair_micros
              FROM operator_facts ofa JOIN test_dialogs td ON td.id = ofa.dialog_id
            ),
            parts AS (
              SELECT b.operator_id, {StatisticsBuckets.BucketSums(StatisticsBuckets.OperatorColumns)}
              FROM statistics_operator_buckets b WHERE {BucketPredicate} GROUP BY b.operator_id
              UNION ALL
              SELECT x.operator_id, {StatisticsBuckets.OperatorSums()}
              FROM ({StatisticsBuckets.OperatorContributionsSql("live_dialogs", "SELECT * FROM live_said")}) x GROUP BY x.operator_id
              UNION ALL
              SELECT x.operator_id, {StatisticsBuckets.OperatorSums("-")}
              FROM ({StatisticsBuckets.OperatorContributionsSql("test_dialogs", "SELECT * FROM test_said")}) x GROUP BY x.operator_id
            ),
            totals AS (
              SELECT p.operator_id, {string.Join(", ", StatisticsBuckets.OperatorColumns.Select(n => $"CAST(SUM(p.{n}) AS BIGINT) AS {n}"))}
              FROM parts p GROUP BY p.operator_id
            )
            SELECT o.id AS operator_id, o.login, o.display_name,
                   COALESCE(tt.dialogs, 0) AS dialogs, COALESCE(tt.messages, 0) AS messages,
                   COALESCE(tt.pairs, 0) AS question_answer_pairs, COALESCE(tt.closed, 0) AS closed,
                   {Average("tt.close_micros", "tt.timed_closes")} AS avg_close_micros,
                   {Average("tt.pair_micros", "tt.pairs")} AS avg_response_micros,
                   {Average("tt.text_chars", "tt.text_messages")} AS avg_message_length
            FROM operators o
            LEFT JOIN totals tt ON tt.operator_id = o.id
            ORDER BY o.display_name, o.login
            """, Parameters(filter), t), cancellationToken)).AsList();

    /// <summary>
    /// Stores the facts of dialogs that closed before <paramref name="closedBefore"/> and at or after
    /// <paramref name="closedSince"/> and have none yet, at most <paramref name="limit"/> of them (oldest closing
    /// first); answers how many. Two nodes doing it at once store each dialog's facts once, and the transaction that
    /// stores a dialog's facts adds them to the statistics buckets (<see cref="StatisticsBuckets.AddAsync"/>).
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
            // Only the facts this transaction inserts go on (another node may have stored some of them meanwhile), in
            // id order so two nodes inserting the same ones wait for each other rather than deadlock.
            var stored = (await c.QueryAsync<string>($"""
                INSERT INTO dialog_facts (dialog_id, queued_at, assignments, first_reply_at, messages, client_messages, bot_messages, operator_messages, pairs, pair_micros)
                SELECT dialog_id, queued_at, assignments, first_reply_at, messages, client_messages, bot_messages, operator_messages, pairs, pair_micros
                FROM ({DialogFactsSql(batch)}) x WHERE 1 = 1 ORDER BY dialog_id
                ON CONFLICT DO NOTHING
                RETURNING dialog_id
                """, new { ids }, t)).AsList();
            if (stored.Count == 0)
                return ids.Count;
            await c.ExecuteAsync($"""
                INSERT INTO operator_facts (dialog_id, operator_id, messages, text_messages, text_chars, pairs, pair_micros)
                SELECT dialog_id, operator_id, messages, text_messages, text_chars, pairs, pair_micros
                FROM ({OperatorFactsSql(batch)}) x WHERE 1 = 1
                ON CONFLICT DO NOTHING
                """, new { ids = stored }, t);
            await StatisticsBuckets.AddAsync(database, c, t, stored);
            return ids.Count;
        }, cancellationToken);

    // The dialogs of the period that have no stored facts yet (open, or closed moments ago).
    private const string Unfacted = DialogPredicate + " AND NOT EXISTS (SELECT 1 FROM dialog_facts df WHERE df.dialog_id = dl.id) AND " + NotTest;

    // Found once per read (the one scan of the period's dialogs), then looked up by id.
    private const string UnfactedCte = "unfacted AS MATERIALIZED (SELECT dl.id FROM dialogs dl WHERE " + Unfacted + ")";
    private const string InUnfacted = "dl.id IN (SELECT u.id FROM unfacted u)";

    // PostgreSQL plans the summary's message joins badly from the materialized list (2.8 s against 0.25 s measured): there
    // the statement keeps the condition itself.
    private string UnfactedInSummary => database.Dialect == SqlDialect.Postgres ? Unfacted : InUnfacted;

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
          WHERE msg.activity_type = 'message'
          GROUP BY msg.dialog_id
        ),
        talk AS (
          SELECT msg.dialog_id, msg.author, msg.created_at,
                 LAG(msg.author) OVER w AS prev_author, LAG(msg.created_at) OVER w AS prev_at
          FROM d JOIN messages msg ON msg.dialog_id = d.id
          WHERE msg.author IN ('client', 'operator') AND msg.activity_type = 'message'
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
          WHERE msg.author IN ('client', 'operator') AND msg.activity_type = 'message'
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
    /// Dialogs opened in the period per time bucket of <paramref name="stepMicros"/> (a multiple of 15 minutes) from the
    /// period's start; the key is the bucket's number (0 = the first). Buckets without dialogs are left out. A 15-minute
    /// bucket that a step boundary cuts (the period starts off the quarter hour) is read from the dialogs.
    /// </summary>
    public async Task<List<CountRow>> SeriesAsync(StatisticsFilter filter, long stepMicros, CancellationToken cancellationToken)
    {
        var window = $"dl.opened_at - dl.opened_at % {StatisticsBuckets.WidthMicros}";
        return (await ReadAsync((c, t) => c.QueryAsync<CountRow>($"""
            WITH live AS (
              SELECT dl.opened_at, {Assignments} AS assignments
              FROM dialogs dl LEFT JOIN dialog_facts df ON df.dialog_id = dl.id
              WHERE {DialogPredicate} AND {NotTest}
                AND (df.dialog_id IS NULL OR dl.opened_at < @CoreFrom OR dl.opened_at >= @CoreTo OR NOT {WithinStep(window)})
            ),
            test_rows AS (
              SELECT dl.opened_at, df.assignments FROM {TestDialogs} JOIN dialog_facts df ON df.dialog_id = dl.id
              WHERE {Core} AND {WithinStep(window)}
            ),
            s AS (
              SELECT (b.bucket_start - @From) / @Step AS k, SUM(b.dialogs) AS dialogs, SUM(b.handled_by_operators) AS handled
              FROM statistics_buckets b WHERE {BucketPredicate} AND {WithinStep("b.bucket_start")}
              GROUP BY (b.bucket_start - @From) / @Step
              UNION ALL
              SELECT (opened_at - @From) / @Step, COUNT(*), SUM(CASE WHEN assignments > 0 THEN 1 ELSE 0 END) FROM live GROUP BY (opened_at - @From) / @Step
              UNION ALL
              SELECT (opened_at - @From) / @Step, -COUNT(*), -SUM(CASE WHEN assignments > 0 THEN 1 ELSE 0 END) FROM test_rows GROUP BY (opened_at - @From) / @Step
            )
            SELECT CAST(k AS TEXT) AS key, CAST(SUM(dialogs) AS BIGINT) AS dialogs, CAST(SUM(handled) AS BIGINT) AS handled_by_operators
            FROM s GROUP BY k HAVING SUM(dialogs) > 0
            """, Parameters(filter, stepMicros), t), cancellationToken)).AsList();
    }

    /// <summary>Dialogs opened in the period by channel, or by closing topic (dialogs without one under "").</summary>
    public async Task<List<CountRow>> BreakdownAsync(StatisticsFilter filter, bool byTopic, CancellationToken cancellationToken)
    {
        var key = byTopic ? "COALESCE(dl.close_topic, '')" : "dl.channel";
        var (buckets, bucketKey) = byTopic ? ("statistics_topic_buckets", "b.topic") : ("statistics_buckets", "b.channel");
        return (await ReadAsync((c, t) => c.QueryAsync<CountRow>($"""
            WITH s AS (
              SELECT {bucketKey} AS key, SUM(b.dialogs) AS dialogs, SUM(b.handled_by_operators) AS handled
              FROM {buckets} b WHERE {BucketPredicate} GROUP BY {bucketKey}
              UNION ALL
              SELECT {key}, COUNT(*), SUM(CASE WHEN {Assignments} > 0 THEN 1 ELSE 0 END)
              FROM dialogs dl LEFT JOIN dialog_facts df ON df.dialog_id = dl.id
              WHERE {DialogPredicate} AND {NotTest} AND (df.dialog_id IS NULL OR dl.opened_at < @CoreFrom OR dl.opened_at >= @CoreTo)
              GROUP BY {key}
              UNION ALL
              SELECT {key}, -COUNT(*), -SUM(CASE WHEN df.assignments > 0 THEN 1 ELSE 0 END)
              FROM {TestDialogs} JOIN dialog_facts df ON df.dialog_id = dl.id
              WHERE {Core}
              GROUP BY {key}
            )
            SELECT key, CAST(SUM(dialogs) AS BIGINT) AS dialogs, CAST(SUM(handled) AS BIGINT) AS handled_by_operators
            FROM s GROUP BY key HAVING SUM(dialogs) > 0
            ORDER BY SUM(dialogs) DESC, key
            """, Parameters(filter), t), cancellationToken)).AsList();
    }

    // A dialog's assignments: from its facts, else counted from its events.
    private const string Assignments =
        "COALESCE(df.assignments, (SELECT COUNT(*) FROM dialog_events e WHERE e.dialog_id = dl.id AND e.kind = 'assigned'))";

    // The 15 minutes from a bucket start lie within one step of the series (true for all when the period starts on a quarter hour).
    private static string WithinStep(string bucketStart) =>
        $"(({bucketStart}) - @From) / @Step = (({bucketStart}) + {StatisticsBuckets.WidthMicros - 1} - @From) / @Step";

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

    // The whole buckets inside the period, [CoreFrom, CoreTo), and the dialogs opened in them; the edges are the rest of the period.
    private const string BucketPredicate = """
        b.bucket_start >= @CoreFrom AND b.bucket_start < @CoreTo
        AND (@CallCentre IS NULL OR b.call_centre = @CallCentre) AND (@Line IS NULL OR b.line = @Line) AND (@Channel IS NULL OR b.channel = @Channel)
        """;

    private const string Core = "dl.opened_at >= @CoreFrom AND dl.opened_at < @CoreTo AND " + DialogFilters;

    private const string Edges = "((dl.opened_at >= @From AND dl.opened_at < @CoreFrom) OR (dl.opened_at >= @CoreTo AND dl.opened_at < @To)) AND " + DialogFilters;

    // Test clients' dialogs, found from the (few) test clients: on SQLite CROSS JOIN keeps the planner from starting at the dialogs.
    private string TestDialogs => database.Dialect == SqlDialect.Postgres
        ? "test_clients tc JOIN dialogs dl ON dl.client_id = tc.client_id"
        : "test_clients tc CROSS JOIN dialogs dl ON dl.client_id = tc.client_id";

    private static string Average(string sum, string count) =>
        $"CAST({sum} AS DOUBLE PRECISION) / NULLIF(CAST({count} AS DOUBLE PRECISION), 0)";

    private static object Parameters(StatisticsFilter filter, long step = StatisticsBuckets.WidthMicros)
    {
        const long width = StatisticsBuckets.WidthMicros;
        static long Floor(long micros) => micros - (micros % width + width) % width;
        var coreFrom = Floor(filter.From + width - 1);
        var coreTo = Math.Max(coreFrom, Floor(filter.To));
        return new { filter.From, filter.To, filter.CallCentre, filter.Line, filter.Channel, CoreFrom = coreFrom, CoreTo = coreTo, Step = step };
    }
}
