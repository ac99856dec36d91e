using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Files;

/// <summary>The <c>files</c> table: each stored file's bytes and metadata.</summary>
public sealed class FileRows(Database database)
{
    private const string InfoColumns = "id, name, content_type, size, sha256, created_at";

    /// <summary>Stores one file in the caller's transaction; an id already stored is kept as it is.</summary>
    public static Task InsertAsync(DbConnection c, DbTransaction t, string id, string name, string contentType, byte[] content, string sha256,
        string uploaderKind, string? uploaderId, long now) =>
        c.ExecuteAsync("""
            INSERT INTO files (id, name, content_type, size, sha256, content, uploader_kind, uploader_id, created_at)
            VALUES (@Id, @Name, @ContentType, @size, @Sha256, @Content, @uploaderKind, @uploaderId, @now) ON CONFLICT (id) DO NOTHING
            """, new { Id = id, Name = name, ContentType = contentType, size = (long)content.Length, Sha256 = sha256, Content = content, uploaderKind, uploaderId, now }, t);

    public Task<StoredFileInfo?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredFileInfo>($"SELECT {InfoColumns} FROM files WHERE id = @id", new { id }), cancellationToken);

    /// <summary>The metadata of those of <paramref name="ids"/> that are stored.</summary>
    public async Task<List<StoredFileInfo>> FindManyAsync(string[] ids, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StoredFileInfo>(
            $"SELECT {InfoColumns} FROM files WHERE {database.InList("id", "list")}", new { list = ids }), cancellationToken)).AsList();

    public Task<byte[]?> ContentAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<byte[]?>("SELECT content FROM files WHERE id = @id", new { id }), cancellationToken);

    /// <summary>
    /// Deletes files created before <paramref name="createdBefore"/> that nothing refers to: no message, Direct Line
    /// activity or KB entity names their id (ids are 128 random bits, so a match is a reference). Returns how many.
    /// </summary>
    public Task<int> DeleteUnreferencedAsync(long createdBefore, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            DELETE FROM files WHERE created_at < @createdBefore
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.activity LIKE '%' || files.id || '%')
              AND NOT EXISTS (SELECT 1 FROM directline_activities a WHERE a.activity LIKE '%' || files.id || '%')
              AND NOT EXISTS (SELECT 1 FROM agent_calls g WHERE g.event LIKE '%' || files.id || '%')
              AND NOT EXISTS (SELECT 1 FROM kb_items k WHERE k.body LIKE '%' || files.id || '%')
            """, new { createdBefore }, t), cancellationToken);
}
