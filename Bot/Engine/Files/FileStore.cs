using System.Data.Common;
using BotEngine.Storage;
using BotEngine.Storage.Files;

namespace BotEngine.Engine.Files;

/// <summary>Stored files: bytes and metadata in the <c>files</c> table of the engine's database (<see cref="FileRows"/>).</summary>
public sealed class FileStore(Database database, FileRows rows, TimeProvider time)
{
    /// <summary>Stores the files in the caller's transaction (with the message that carries them); an id already stored is kept as it is.</summary>
    public async Task InsertAsync(DbConnection c, DbTransaction t, IEnumerable<NewFile> files, string uploaderKind, string? uploaderId)
    {
        var now = time.NowMicros();
        foreach (var f in files)
            await FileRows.InsertAsync(c, t, f.Id, f.Name, f.ContentType, f.Content, f.Sha256, uploaderKind, uploaderId, now);
    }

    public Task SaveAsync(IReadOnlyList<NewFile> files, string uploaderKind, string? uploaderId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => InsertAsync(c, t, files, uploaderKind, uploaderId), cancellationToken);

    /// <summary>
    /// Stores files that keep the ids they had elsewhere (a KB import): one already stored with the same content is
    /// kept; the ids returned are those stored under the same id with other content (nothing is stored then).
    /// </summary>
    public async Task<IReadOnlyList<string>> ImportAsync(IReadOnlyList<NewFile> files, CancellationToken cancellationToken)
    {
        var existing = await FindManyAsync(files.Select(f => f.Id), cancellationToken);
        var clashes = files.Where(f => existing.TryGetValue(f.Id, out var e) && e.Sha256 != f.Sha256).Select(f => f.Id).ToList();
        if (clashes.Count > 0)
            return clashes;
        var fresh = files.Where(f => !existing.ContainsKey(f.Id)).ToList();
        // Another node importing the same document at once stores the same bytes: the insert keeps whichever came first.
        if (fresh.Count > 0)
            await database.WriteAsync((c, t) => InsertAsync(c, t, fresh, UploaderKinds.KbImport, null), cancellationToken);
        return [];
    }

    public Task<StoredFileInfo?> FindAsync(string id, CancellationToken cancellationToken) => rows.FindAsync(id, cancellationToken);

    public async Task<Dictionary<string, StoredFileInfo>> FindManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.Where(FileRules.IsValidId).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
            return [];
        return (await rows.FindManyAsync(list, cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public Task<byte[]?> ContentAsync(string id, CancellationToken cancellationToken) => rows.ContentAsync(id, cancellationToken);
}
