using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Files;

/// <summary>
/// The files a knowledge base refers to, checked when the KB changes and carried in its export: the export adds a
/// <c>files</c> section (id, name, contentType, sha256, data in base64) with every referenced file, and an import
/// stores them under the same ids, so an export imported into another engine serves the same files.
/// </summary>
public static class KbFileBundle
{
    public const string Section = "files";

    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// Errors for references to files that are neither stored nor <paramref name="bundled"/>. With <paramref name="fill"/>,
    /// a reference to a stored file takes its content type, and its name when it has none.
    /// </summary>
    public static async Task<List<KbValidationError>> CheckAsync(IReadOnlyList<KbFileReference> references, FileStore store,
        IReadOnlyDictionary<string, NewFile>? bundled, bool fill, CancellationToken cancellationToken)
    {
        var errors = new List<KbValidationError>();
        if (references.Count == 0)
            return errors;
        var stored = await store.FindManyAsync(references.Select(r => r.FileId), cancellationToken);
        foreach (var reference in references)
        {
            if (stored.TryGetValue(reference.FileId, out var file))
            {
                if (!fill)
                    continue;
                reference.Attachment.ContentType = file.ContentType;
                if (string.IsNullOrWhiteSpace(reference.Attachment.Name))
                    reference.Attachment.Name = file.Name;
            }
            else if (bundled?.ContainsKey(reference.FileId) != true && KbValidator.IsFileId(reference.FileId))
            {
                errors.Add(KbValidationError.Of($"{reference.Path}.fileId", "missing_file", $"file '{reference.FileId}' does not exist (upload it with POST /api/v1/files)", reference.FileId));
            }
        }
        return errors;
    }

    /// <summary>The export: the KB document, plus the <c>files</c> section when it refers to stored files.</summary>
    public static async Task<string> ExportAsync(KbDocument document, FileStore store, CancellationToken cancellationToken)
    {
        var ids = KbFileReferences.In(document).Select(r => r.FileId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
            return KbJson.Write(document);
        var infos = await store.FindManyAsync(ids, cancellationToken);
        var files = new JsonArray();
        foreach (var id in ids.Where(infos.ContainsKey))
        {
            var info = infos[id];
            var content = await store.ContentAsync(id, cancellationToken) ?? [];
            files.Add(JsonSerializer.SerializeToNode(new KbFilePayload(info.Id, info.Name, info.ContentType, info.Sha256, Convert.ToBase64String(content)), KbJson.Options));
        }
        var root = JsonSerializer.SerializeToNode(document, KbJson.Options)!.AsObject();
        root[Section] = files;
        return root.ToJsonString(KbJson.Options);
    }

    /// <summary>
    /// Takes the <c>files</c> section out of an imported text: the KB document to import (the text unchanged when it has
    /// no such section, or is not even JSON: the KB parser then names the problem) and the files, checked.
    /// </summary>
    public static (string Json, Dictionary<string, NewFile> Files, KbValidationError? Error) Split(string json, FilesOptions options)
    {
        var files = new Dictionary<string, NewFile>(StringComparer.Ordinal);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: ReadOptions);
        }
        catch (JsonException)
        {
            return (json, files, null);
        }
        if (root is not JsonObject obj || !obj.TryGetPropertyValue(Section, out var section))
            return (json, files, null);
        obj.Remove(Section);
        if (section is not JsonArray array)
            return (json, files, new(Section, "must be a list of files"));
        for (var i = 0; i < array.Count; i++)
        {
            var (file, error) = ReadFile(array[i], $"{Section}[{i}]", options);
            if (error is not null)
                return (json, files, error);
            if (!files.TryAdd(file!.Id, file))
                return (json, files, new($"{Section}[{i}].id", $"file '{file.Id}' is listed more than once"));
        }
        return (obj.ToJsonString(), files, null);
    }

    private static (NewFile?, KbValidationError?) ReadFile(JsonNode? node, string path, FilesOptions options)
    {
        KbFilePayload? payload;
        try
        {
            payload = node?.Deserialize<KbFilePayload>(KbJson.Options);
        }
        catch (JsonException e)
        {
            return (null, new(path + (e.Path is { Length: > 1 } p ? p.TrimStart('$') : ""), e.Message.Split(" Path:")[0]));
        }
        if (payload is null)
            return (null, new(path, "must be a file object"));
        if (!KbValidator.IsFileId(payload.Id))
            return (null, new($"{path}.id", $"'{payload.Id}' is not a stored file's id (32 lower-case hex digits)"));
        var name = FileRules.NormalizeName(payload.Name);
        if (name.Length == 0)
            return (null, new($"{path}.name", "is required"));
        byte[] content;
        try
        {
            content = Convert.FromBase64String(payload.Data ?? "");
        }
        catch (FormatException)
        {
            return (null, new($"{path}.data", "is not base64"));
        }
        if (content.Length == 0)
            return (null, new($"{path}.data", "is empty"));
        if (content.Length > options.MaxFileBytes)
            return (null, new($"{path}.data", $"the file is larger than {options.MaxFileBytes} bytes"));
        var file = FileRules.Create(payload.Id!, name, FileRules.NormalizeType(payload.ContentType), content);
        if (payload.Sha256 is { } sha && !string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            return (null, new($"{path}.sha256", "does not match the data"));
        return (file, null);
    }
}
