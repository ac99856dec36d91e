using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BotEngine.KnowledgeBase;
using Dapper;

namespace BotEngine.Storage.Knowledge;

/// <summary>
/// Keeps the knowledge base in <c>kb_items</c>: one row per entity (article, slot, agent, ...) in the document's
/// order, plus the settings, the format version and a revision row. A save writes only the rows that changed and
/// bumps the revision in the same transaction, refusing when another writer saved first (optimistic concurrency).
/// </summary>
public sealed class KbStore(Database database, TimeProvider time)
{
    private const string RevisionKind = "revision";
    private const string ArticleKind = "article";

    private sealed record Row(string Kind, string Id, string Body, long Position);

    public async Task<StoredKb?> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = (await database.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT kind, id, body, position FROM kb_items ORDER BY kind, position, id"), cancellationToken)).AsList();
        if (rows.Count == 0)
            return null;
        var document = new KbDocument();
        long revision = 0;
        foreach (var row in rows)
        {
            switch (row.Kind)
            {
                case "article": document.Articles.Add(Read<Article>(row)); break;
                case "recordType": document.RecordTypes.Add(Read<RecordType>(row)); break;
                case "topic": document.Topics.Add(Read<Topic>(row)); break;
                case "slot": document.Slots.Add(Read<SlotDefinition>(row)); break;
                case "agent": document.Agents.Add(Read<ExternalAgent>(row)); break;
                case "calendar": document.Calendars.Add(Read<BusinessCalendar>(row)); break;
                case "settings": document.Settings = Read<KbSettings>(row); break;
                case "version": document.Version = int.Parse(row.Body, CultureInfo.InvariantCulture); break;
                case RevisionKind: revision = long.Parse(row.Body, CultureInfo.InvariantCulture); break;
            }
        }
        return new StoredKb(document, revision);
    }

    /// <summary>
    /// Stores <paramref name="next"/> in one transaction if the stored revision is still <paramref name="expectedRevision"/>;
    /// <paramref name="previous"/> is what is stored now (null: nothing), so only differences are written. False on a conflict.
    /// Each changed or deleted article also gets a row in its history, under the new revision and <paramref name="author"/>.
    /// </summary>
    public async Task<bool> SaveAsync(KbDocument? previous, KbDocument next, long expectedRevision, string? author, CancellationToken cancellationToken)
    {
        // Serialising is done before the write so the single SQLite writer only runs statements.
        var before = previous is null ? new Dictionary<(string, string), Row>() : Rows(previous).ToDictionary(r => (r.Kind, r.Id));
        var after = Rows(next).ToList();
        var changed = after.Where(r => !before.TryGetValue((r.Kind, r.Id), out var old) || old != r).ToList();
        var removed = before.Keys.Except(after.Select(r => (r.Kind, r.Id))).ToList();
        var now = time.NowMicros();

        return await database.WriteAsync(async (c, t) =>
        {
            if (!await BumpRevisionAsync(c, t, expectedRevision, now))
                return false;
            var revision = expectedRevision + 1;
            foreach (var (kind, id) in removed)
            {
                await c.ExecuteAsync("DELETE FROM kb_items WHERE kind = @kind AND id = @id", new { kind, id }, t);
                if (kind == ArticleKind)
                    await AddVersionAsync(c, t, id, revision, null, author, now);
            }
            foreach (var row in changed)
            {
                await c.ExecuteAsync("""
                    INSERT INTO kb_items (kind, id, body, position, updated_at) VALUES (@Kind, @Id, @Body, @Position, @now)
                    ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, position = excluded.position, updated_at = excluded.updated_at
                    """, new { row.Kind, row.Id, row.Body, row.Position, now }, t);
                // A move in the list is not a change of the article.
                if (row.Kind == ArticleKind && (!before.TryGetValue((row.Kind, row.Id), out var old) || old.Body != row.Body))
                    await AddVersionAsync(c, t, row.Id, revision, row.Body, author, now);
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>When each article was last stored changed (microseconds since the epoch), by article id: the editor's "updated" column and sort.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ArticleUpdateTimesAsync(CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<(string Id, long UpdatedAt)>(
            "SELECT id, updated_at FROM kb_items WHERE kind = 'article'"), cancellationToken);
        return rows.ToDictionary(r => r.Id, r => r.UpdatedAt, StringComparer.Ordinal);
    }

    /// <summary>An article's stored versions, newest first (also of a deleted article, whose last version says so).</summary>
    public async Task<IReadOnlyList<KbArticleVersion>> ArticleHistoryAsync(string articleId, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<(long Revision, string? Author, long ChangedAt, long Deleted)>(
            "SELECT revision, author, changed_at, CASE WHEN body IS NULL THEN 1 ELSE 0 END FROM kb_article_versions WHERE article_id = @articleId ORDER BY revision DESC",
            new { articleId }), cancellationToken);
        return rows.Select(r => new KbArticleVersion(r.Revision, r.Author, r.ChangedAt, r.Deleted == 1)).ToList();
    }

    /// <summary>The article as one version stored it; null when there is no such version or it is a deletion.</summary>
    public async Task<Article?> ArticleVersionAsync(string articleId, long revision, CancellationToken cancellationToken)
    {
        var body = await database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT body FROM kb_article_versions WHERE article_id = @articleId AND revision = @revision", new { articleId, revision }), cancellationToken);
        return body is null ? null : JsonSerializer.Deserialize<Article>(body, KbJson.Options);
    }

    private static Task AddVersionAsync(DbConnection c, DbTransaction t, string articleId, long revision, string? body, string? author, long now) =>
        c.ExecuteAsync("""
            INSERT INTO kb_article_versions (article_id, revision, body, author, changed_at) VALUES (@articleId, @revision, @body, @author, @now)
            ON CONFLICT (article_id, revision) DO NOTHING
            """, new { articleId, revision, body, author, now }, t);

    /// <summary>The stored revision, cheap to poll.</summary>
    public Task<long> RevisionAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => long.Parse(
            await c.ExecuteScalarAsync<string?>("SELECT body FROM kb_items WHERE kind = 'revision' AND id = 'revision'") ?? "0",
            CultureInfo.InvariantCulture), cancellationToken);

    // Insert when absent (expected 0), else update only if the stored value is the expected one: 0 rows means someone else saved.
    private static async Task<bool> BumpRevisionAsync(DbConnection c, DbTransaction t, long expected, long now) =>
        await c.ExecuteAsync("""
            INSERT INTO kb_items (kind, id, body, position, updated_at) VALUES ('revision', 'revision', @next, 0, @now)
            ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at WHERE kb_items.body = @expected
            """, new
        {
            next = (expected + 1).ToString(CultureInfo.InvariantCulture),
            expected = expected.ToString(CultureInfo.InvariantCulture),
            now,
        }, t) == 1;

    private static IEnumerable<Row> Rows(KbDocument document)
    {
        yield return new Row("version", "version", document.Version.ToString(CultureInfo.InvariantCulture), 0);
        yield return new Row("settings", "settings", Write(document.Settings), 0);
        foreach (var row in Rows("recordType", document.RecordTypes, r => r.Id))
            yield return row;
        foreach (var row in Rows("topic", document.Topics, r => r.Id))
            yield return row;
        foreach (var row in Rows("slot", document.Slots, r => r.Id))
            yield return row;
        foreach (var row in Rows("agent", document.Agents, r => r.Id))
            yield return row;
        foreach (var row in Rows("calendar", document.Calendars, r => r.CallCentre))
            yield return row;
        foreach (var row in Rows("article", document.Articles, r => r.Id))
            yield return row;
    }

    private static IEnumerable<Row> Rows<T>(string kind, List<T> items, Func<T, string> id) =>
        items.Select((item, index) => new Row(kind, id(item), Write(item), index));

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, KbJson.Options);

    private static T Read<T>(Row row) =>
        JsonSerializer.Deserialize<T>(row.Body, KbJson.Options) ?? throw new JsonException($"kb_items {row.Kind} '{row.Id}' is empty");
}
