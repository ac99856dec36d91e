using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Statistics;

/// <summary>
/// The pre-aggregated statistics (migration 026): the facts of closed dialogs summed per 15 minutes of opening x call
/// centre x line x channel, for dialog figures, topics and operators. <see cref="AddAsync"/> adds the dialogs whose facts
/// were just stored, in the same transaction; the sums here are also what reads compute for the dialogs they take from
/// the facts (the period's unaligned edges, dialogs without facts yet, and test clients' dialogs, subtracted).
/// </summary>
internal static class StatisticsBuckets
{
    /// <summary>A bucket's width in storage microseconds (15 minutes); bucket starts are multiples of it.</summary>
    public const long WidthMicros = 900_000_000;

    /// <summary>
    /// The dialog figures, each the sum of an expression over fact rows <c>f</c> (opened_at, closed_at, closed_by, queued_at,
    /// assignments, first_reply_at, pairs, pair_micros and the message counts). Durations are summed with a count to average over.
    /// </summary>
    private static readonly (string Name, string Expression)[] DialogFigures =
    [
        ("dialogs", "1"),
        ("bot_only", "CASE WHEN f.assignments = 0 AND f.queued_at IS NULL THEN 1 ELSE 0 END"),
        ("handled_by_operators", "CASE WHEN f.assignments > 0 THEN 1 ELSE 0 END"),
        ("queued_never_assigned", "CASE WHEN f.assignments = 0 AND f.queued_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("closed", "CASE WHEN f.closed_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("closed_by_bot", "CASE WHEN f.closed_by = 'bot' THEN 1 ELSE 0 END"),
        ("closed_by_timeout", "CASE WHEN f.closed_by IN ('clienttimeout', 'idle') THEN 1 ELSE 0 END"),
        ("closed_by_operators", "CASE WHEN f.closed_at IS NOT NULL AND f.closed_by NOT IN ('bot', 'clienttimeout', 'idle') THEN 1 ELSE 0 END"),
        ("close_micros", "CASE WHEN f.closed_at IS NOT NULL THEN f.closed_at - f.opened_at ELSE 0 END"),
        ("first_responses", "CASE WHEN f.queued_at IS NOT NULL AND f.first_reply_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("first_response_micros", "CASE WHEN f.queued_at IS NOT NULL AND f.first_reply_at IS NOT NULL THEN f.first_reply_at - f.queued_at ELSE 0 END"),
        ("pairs", "f.pairs"),
        ("pair_micros", "f.pair_micros"),
        ("messages", "f.messages"),
        ("client_messages", "f.client_messages"),
        ("bot_messages", "f.bot_messages"),
        ("operator_messages", "f.operator_messages"),
    ];

    /// <summary>
    /// The rows <see cref="DialogSums"/> sums, for the dialogs with stored facts that <paramref name="where"/> (a
    /// condition on <c>dl</c>) selects from <paramref name="from"/>: the dialog's own columns with its facts.
    /// </summary>
    public static string FactRows(string where, string from = "dialogs dl") => $"""
        SELECT dl.opened_at, dl.closed_at, dl.closed_by, dl.call_centre, dl.line, dl.channel, dl.close_topic, df.queued_at, df.assignments,
               df.first_reply_at, df.pairs, df.pair_micros, df.messages, df.client_messages, df.bot_messages, df.operator_messages
        FROM {from} JOIN dialog_facts df ON df.dialog_id = dl.id
        WHERE {where}
        """;

    /// <summary>An operator's figures, each the sum of a column of <see cref="OperatorContributionsSql"/>'s rows.</summary>
    private static readonly string[] OperatorFigures =
        ["dialogs", "messages", "text_messages", "text_chars", "pairs", "pair_micros", "closed", "timed_closes", "close_micros"];

    /// <summary>The columns every dialog read sums (the summary's), in order.</summary>
    public static IEnumerable<string> DialogColumns => DialogFigures.Select(f => f.Name);

    public static IEnumerable<string> OperatorColumns => OperatorFigures;

    /// <summary>The dialog figures summed over fact rows <c>f</c>; <paramref name="sign"/> "-" subtracts them.</summary>
    public static string DialogSums(string sign = "") =>
        string.Join(", ", DialogFigures.Select(f => $"{sign}CAST(COALESCE(SUM({f.Expression}), 0) AS BIGINT) AS {f.Name}"));

    /// <summary>The operator figures summed over contribution rows <c>x</c>; <paramref name="sign"/> "-" subtracts them.</summary>
    public static string OperatorSums(string sign = "") =>
        string.Join(", ", OperatorFigures.Select(n => $"{sign}CAST(COALESCE(SUM(x.{n}), 0) AS BIGINT) AS {n}"));

    /// <summary>Columns of <paramref name="table"/> (alias <c>b</c>) summed, under the same names.</summary>
    public static string BucketSums(IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(n => $"CAST(COALESCE(SUM(b.{n}), 0) AS BIGINT) AS {n}"));

    /// <summary>
    /// Per dialog of <paramref name="dialogs"/> (a relation with id, closed_at, closed_by, assigned_at) and operator:
    /// assigned to them (1 once however many times), what they wrote (from <paramref name="said"/>, rows shaped like
    /// <c>operator_facts</c>), and whether they closed it, with the assigned-to-closed time when it was assigned.
    /// </summary>
    public static string OperatorContributionsSql(string dialogs, string said) => $"""
        SELECT s.dialog_id, s.operator_id, 0 AS dialogs, s.messages, s.text_messages, s.text_chars, s.pairs, s.pair_micros,
               0 AS closed, 0 AS timed_closes, 0 AS close_micros
        FROM ({said}) s
        UNION ALL
        SELECT DISTINCT e.dialog_id, e.operator_id, 1, 0, 0, 0, 0, 0, 0, 0, 0
        FROM {dialogs} cd JOIN dialog_events e ON e.dialog_id = cd.id
        WHERE e.kind = 'assigned' AND e.operator_id IS NOT NULL
        UNION ALL
        SELECT cd.id, cd.closed_by, 0, 0, 0, 0, 0, 0, 1, CASE WHEN cd.assigned_at IS NOT NULL THEN 1 ELSE 0 END,
               CASE WHEN cd.assigned_at IS NOT NULL THEN cd.closed_at - cd.assigned_at ELSE 0 END
        FROM {dialogs} cd
        WHERE cd.closed_at IS NOT NULL AND cd.closed_by IS NOT NULL
        """;

    private static string KeyOf(string alias) =>
        $"{alias}.opened_at - {alias}.opened_at % {WidthMicros}, COALESCE({alias}.call_centre, ''), COALESCE({alias}.line, ''), {alias}.channel";

    private static readonly string Key = KeyOf("dl");
    private const string KeyColumns = "bucket_start, call_centre, line, channel";

    /// <summary>
    /// Adds the dialogs <paramref name="dialogIds"/>, whose facts this transaction has just stored, to the buckets of
    /// their opening. Rows are upserted in key order, so two nodes adding at once wait for each other rather than deadlock.
    /// </summary>
    public static async Task AddAsync(Database database, DbConnection c, DbTransaction t, IReadOnlyList<string> dialogIds)
    {
        var ids = new { ids = dialogIds };
        var chosen = database.InList("dl.id", "ids");
        await c.ExecuteAsync($"""
            INSERT INTO statistics_buckets ({KeyColumns}, {string.Join(", ", DialogColumns)})
            SELECT {KeyOf("f")}, {DialogSums()}
            FROM ({FactRows(chosen)}) f
            WHERE 1 = 1
            GROUP BY {KeyOf("f")} ORDER BY {KeyOf("f")}
            ON CONFLICT ({KeyColumns}) DO UPDATE SET {Increments("statistics_buckets", DialogColumns)}
            """, ids, t);
        await c.ExecuteAsync($"""
            INSERT INTO statistics_topic_buckets ({KeyColumns}, topic, dialogs, handled_by_operators)
            SELECT {Key}, COALESCE(dl.close_topic, ''), COUNT(*), CAST(SUM(CASE WHEN df.assignments > 0 THEN 1 ELSE 0 END) AS BIGINT)
            FROM dialogs dl JOIN dialog_facts df ON df.dialog_id = dl.id
            WHERE {chosen}
            GROUP BY {Key}, COALESCE(dl.close_topic, '') ORDER BY {Key}, COALESCE(dl.close_topic, '')
            ON CONFLICT ({KeyColumns}, topic) DO UPDATE SET {Increments("statistics_topic_buckets", ["dialogs", "handled_by_operators"])}
            """, ids, t);
        var stored = $"(SELECT dl.id, dl.closed_at, dl.closed_by, dl.assigned_at FROM dialogs dl WHERE {chosen})";
        var said = $"SELECT ofa.* FROM operator_facts ofa JOIN {stored} sd ON sd.id = ofa.dialog_id";
        await c.ExecuteAsync($"""
            INSERT INTO statistics_operator_buckets ({KeyColumns}, operator_id, {string.Join(", ", OperatorColumns)})
            SELECT {Key}, x.operator_id, {OperatorSums()}
            FROM ({OperatorContributionsSql(stored, said)}) x JOIN dialogs dl ON dl.id = x.dialog_id
            WHERE 1 = 1
            GROUP BY {Key}, x.operator_id ORDER BY {Key}, x.operator_id
            ON CONFLICT ({KeyColumns}, operator_id) DO UPDATE SET {Increments("statistics_operator_buckets", OperatorColumns)}
            """, ids, t);
    }

    private static string Increments(string table, IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(n => $"{n} = {table}.{n} + excluded.{n}"));
}
