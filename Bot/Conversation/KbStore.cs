using System.Text.Json;
using BotEngine.Bot.Storage;
using BotEngine.KnowledgeBase;
using Dapper;

namespace BotEngine.Bot.Conversation;

/// <summary>Keeps the knowledge base in the database, one row per article plus the record types and settings.</summary>
public sealed class KbStore(Database database, TimeProvider time)
{
    private const string ArticleKind = "article";
    private const string RecordTypeKind = "recordType";
    private const string SettingsKind = "settings";

    public async Task<KbDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = (await database.ReadAsync(c => c.QueryAsync<(string Kind, string Id, string Body)>(
            "SELECT kind, id, body FROM kb_items ORDER BY kind, id"), cancellationToken)).AsList();
        if (rows.Count == 0)
            return null;
        var document = new KbDocument();
        foreach (var (kind, _, body) in rows)
        {
            switch (kind)
            {
                case ArticleKind:
                    document.Articles.Add(JsonSerializer.Deserialize<Article>(body, KbJson.Options)!);
                    break;
                case RecordTypeKind:
                    document.RecordTypes.Add(JsonSerializer.Deserialize<RecordType>(body, KbJson.Options)!);
                    break;
                case SettingsKind:
                    document.Settings = JsonSerializer.Deserialize<KbSettings>(body, KbJson.Options)!;
                    break;
            }
        }
        return document;
    }

    /// <summary>Replaces the stored knowledge base with the document, in one transaction.</summary>
    public Task ReplaceAsync(KbDocument document, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.NowMicros();
            await c.ExecuteAsync("DELETE FROM kb_items", transaction: t);
            var items = document.Articles.Select(a => (ArticleKind, a.Id, JsonSerializer.Serialize(a, KbJson.Options)))
                .Concat(document.RecordTypes.Select(r => (RecordTypeKind, r.Id, JsonSerializer.Serialize(r, KbJson.Options))))
                .Append((SettingsKind, "settings", JsonSerializer.Serialize(document.Settings, KbJson.Options)));
            foreach (var (kind, id, body) in items)
            {
                await c.ExecuteAsync("INSERT INTO kb_items (kind, id, body, updated_at) VALUES (@kind, @id, @body, @now)",
                    new { kind, id, body, now }, t);
            }
        }, cancellationToken);
}
