using Dapper;

namespace BotEngine.Storage.Learning;

/// <summary>
/// The labelling inbox's rows: the bot's misses (<c>bot_misses</c>, written by their turns) not yet labelled or skipped
/// and not in a dialog marked CHECKED; labelling one turns its message into a training example in the same transaction.
/// </summary>
public sealed class LabellingStore(Database database)
{
    public const string Labelled = "labelled";
    public const string Skipped = "skipped";

    /// <summary>The newest open misses that pass <paramref name="filter"/>, at most <paramref name="limit"/>.</summary>
    public async Task<List<MissRow>> OpenMissesAsync(MissFilter filter, int limit, CancellationToken cancellationToken)
    {
        // Conditions are added only when set: PostgreSQL cannot type a null parameter in "@p IS NULL OR ...".
        var where = new List<string> { "b.reviewed IS NULL", "NOT EXISTS (SELECT 1 FROM checked_dialogs k WHERE k.dialog_id = b.dialog_id)" };
        if (filter.From is not null)
            where.Add("b.at >= @From");
        if (filter.To is not null)
            where.Add("b.at < @To");
        if (filter.Language is not null)
            where.Add("d.language = @Language");
        if (filter.Line is not null)
            where.Add("d.line = @Line");
        var sql = $"""
            SELECT b.message_id, b.dialog_id, b.kind, b.at, m.text, d.language, d.line
            FROM bot_misses b JOIN messages m ON m.id = b.message_id JOIN dialogs d ON d.id = b.dialog_id
            WHERE {string.Join(" AND ", where)} ORDER BY b.at DESC LIMIT @limit
            """;
        return (await database.ReadAsync(c => c.QueryAsync<MissRow>(sql, new { filter.From, filter.To, filter.Language, filter.Line, limit }), cancellationToken)).AsList();
    }

    /// <summary>The open misses among <paramref name="messageIds"/> (the others are unknown, or were labelled or skipped).</summary>
    public async Task<List<MissRow>> FindOpenAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<MissRow>($"""
            SELECT b.message_id, b.dialog_id, b.kind, b.at, m.text, d.language, d.line
            FROM bot_misses b JOIN messages m ON m.id = b.message_id JOIN dialogs d ON d.id = b.dialog_id
            WHERE b.reviewed IS NULL AND {database.InList("b.message_id", "ids")}
            """, new { ids = messageIds.ToArray() }), cancellationToken)).AsList();

    /// <summary>
    /// Stores the examples and marks their messages labelled, in one transaction; false (and nothing stored) when one of
    /// the messages was reviewed meanwhile.
    /// </summary>
    public async Task<bool> LabelAsync(IReadOnlyList<TrainingExampleRow> examples, string by, long now, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync(async (c, t) =>
            {
                var marked = await c.ExecuteAsync(
                    $"UPDATE bot_misses SET reviewed = '{Labelled}', reviewed_by = @by, reviewed_at = @now WHERE reviewed IS NULL AND {database.InList("message_id", "ids")}",
                    new { by, now, ids = examples.Select(e => e.MessageId!).ToArray() }, t);
                if (marked != examples.Count)
                    throw new ReviewedMeanwhileException(); // rolls the transaction back
                await TrainingExampleStore.InsertAsync(c, t, examples);
            }, cancellationToken);
            return true;
        }
        catch (ReviewedMeanwhileException)
        {
            return false;
        }
    }

    private sealed class ReviewedMeanwhileException : Exception;

    /// <summary>Marks open misses skipped; returns how many were open.</summary>
    public Task<int> SkipAsync(IReadOnlyList<string> messageIds, string by, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            $"UPDATE bot_misses SET reviewed = '{Skipped}', reviewed_by = @by, reviewed_at = @now WHERE reviewed IS NULL AND {database.InList("message_id", "ids")}",
            new { by, now, ids = messageIds.ToArray() }, t), cancellationToken);

    /// <summary>Marks a dialog CHECKED (again: keeps the first mark); false when there is no such dialog.</summary>
    public Task<bool> CheckDialogAsync(string dialogId, string by, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE id = @dialogId", new { dialogId }, t) == 0)
                return false;
            await c.ExecuteAsync("""
                INSERT INTO checked_dialogs (dialog_id, checked_by, checked_at) VALUES (@dialogId, @by, @now) ON CONFLICT (dialog_id) DO NOTHING
                """, new { dialogId, by, now }, t);
            return true;
        }, cancellationToken);
}
