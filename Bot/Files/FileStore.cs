using System.Data.Common;
using System.Security.Cryptography;
using BotEngine.Bot.Storage;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Files;

public sealed class FilesOptions
{
    /// <summary>The largest file the engine stores (20 MB).</summary>
    public long MaxFileBytes { get; set; } = 20L << 20;
    /// <summary>The largest upload request, all its files together.</summary>
    public long MaxUploadBytes { get; set; } = 50L << 20;
    public int MaxFilesPerUpload { get; set; } = 10;
    /// <summary>The engine's address as clients reach it, for file links; the request's host, else the first listening address, when unset.</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>Who put a file into the engine.</summary>
public static class UploaderKinds
{
    public const string Operator = "operator";
    public const string KbEditor = "kb_editor";
    public const string Client = "client";
    public const string KbImport = "kb_import";
}

/// <summary>A file about to be stored: checked, named, hashed.</summary>
public sealed record NewFile(string Id, string Name, string ContentType, byte[] Content, string Sha256)
{
    public bool IsImage => FileRules.IsInlineImage(ContentType);
}

public sealed class StoredFileInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public long CreatedAt { get; set; }

    public bool IsImage => FileRules.IsInlineImage(ContentType);
}

/// <summary>Naming, typing and identity rules for stored files, without storage.</summary>
public static class FileRules
{
    public const string OctetStream = "application/octet-stream";
    private const int MaxNameLength = 255;

    // Shown inline; every other type is served as a download. SVG is an image that can carry script: not inline.
    private static readonly HashSet<string> InlineImages = new(StringComparer.Ordinal) { "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp" };

    // Types a browser would run: served as bytes whatever was declared.
    private static readonly HashSet<string> ActiveContent = new(StringComparer.Ordinal)
    {
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript", "application/javascript",
        "application/x-javascript", "application/ecmascript", "text/ecmascript",
    };

    /// <summary>128 random bits: the id is the capability to read the file.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValidId(string? id) => BotEngine.KnowledgeBase.KbValidator.IsFileId(id);

    public static bool IsInlineImage(string contentType) => InlineImages.Contains(contentType);

    /// <summary>The type a file is served with: its own, or bytes for what a browser would execute.</summary>
    public static string ServedType(string contentType) => ActiveContent.Contains(contentType) ? OctetStream : contentType;

    /// <summary>"type/subtype" in lower case, without parameters; octet-stream for anything unparseable.</summary>
    public static string NormalizeType(string? contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } media && media.Contains('/')
            ? media.ToLowerInvariant()
            : OctetStream;

    /// <summary>The last path segment, without control characters, at most 255 characters; empty when nothing is left.</summary>
    public static string NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "";
        var last = name.Replace('\\', '/').Split('/').Last();
        var clean = new string(last.Where(ch => !char.IsControl(ch)).ToArray()).Trim();
        return clean.Length > MaxNameLength ? clean[..MaxNameLength] : clean;
    }

    public static NewFile Create(string id, string name, string contentType, byte[] content) =>
        new(id, name, contentType, content, Convert.ToHexStringLower(SHA256.HashData(content)));
}

/// <summary>Links to stored files: <c>/files/{id}/{name}</c>, absolute where a channel's client runs on another origin.</summary>
public sealed class FileUrls(IOptions<FilesOptions> options, IServer server)
{
    public static string PathOf(string id, string name) => $"/files/{id}/{Uri.EscapeDataString(name)}";

    public string Absolute(string id, string name, HttpRequest? request = null)
    {
        return EngineAddress.Root(options.Value.PublicBaseUrl, server, request) + PathOf(id, name);
    }
}

/// <summary>Stored files: bytes and metadata in the <c>files</c> table of the engine's database.</summary>
public sealed class FileStore(Database database, TimeProvider time)
{
    private const string InfoColumns = "id, name, content_type, size, sha256, created_at";

    /// <summary>Stores the files in the caller's transaction (with the message that carries them); an id already stored is kept as it is.</summary>
    public async Task InsertAsync(DbConnection c, DbTransaction t, IEnumerable<NewFile> files, string uploaderKind, string? uploaderId)
    {
        var now = time.NowMicros();
        foreach (var f in files)
        {
            await c.ExecuteAsync("""
                INSERT INTO files (id, name, content_type, size, sha256, content, uploader_kind, uploader_id, created_at)
                VALUES (@Id, @Name, @ContentType, @size, @Sha256, @Content, @uploaderKind, @uploaderId, @now) ON CONFLICT (id) DO NOTHING
                """, new { f.Id, f.Name, f.ContentType, size = (long)f.Content.Length, f.Sha256, f.Content, uploaderKind, uploaderId, now }, t);
        }
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

    public Task<StoredFileInfo?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredFileInfo>($"SELECT {InfoColumns} FROM files WHERE id = @id", new { id }), cancellationToken);

    public async Task<Dictionary<string, StoredFileInfo>> FindManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.Where(FileRules.IsValidId).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
            return [];
        var rows = await database.ReadAsync(c => c.QueryAsync<StoredFileInfo>(
            $"SELECT {InfoColumns} FROM files WHERE {database.InList("id", "list")}", new { list }), cancellationToken);
        return rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public Task<byte[]?> ContentAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<byte[]?>("SELECT content FROM files WHERE id = @id", new { id }), cancellationToken);
}
