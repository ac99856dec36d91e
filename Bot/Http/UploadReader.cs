using Microsoft.AspNetCore.Http.Features;

using BotEngine.Engine.Files;

namespace BotEngine.Http;

/// <summary>
/// Reads a multipart upload within the configured limits. Parts named in <c>textParts</c> are read as text (a
/// browser's FormData sends a Blob part as a file, so they may come either way); every other file part is a file.
/// </summary>
public static class UploadReader
{
    public static async Task<(UploadForm? Form, UploadProblem? Problem)> ReadAsync(
        HttpRequest request, FilesOptions options, IReadOnlyCollection<string> textParts, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !(request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) ?? false))
            return Fail(415, "the body must be multipart/form-data with the files as parts");
        if (request.ContentLength > options.MaxUploadBytes)
            return Fail(413, $"the upload is larger than {options.MaxUploadBytes} bytes");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.MaxUploadBytes;

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadBytes }, cancellationToken);
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: 413 } || ex is InvalidDataException && ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(413, $"the upload is larger than {options.MaxUploadBytes} bytes");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Fail(400, $"the multipart body cannot be read: {ex.Message}");
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in textParts)
        {
            if (form.TryGetValue(name, out var value) && value.Count > 0)
                parts[name] = value.ToString();
            else if (form.Files.GetFile(name) is { } filePart)
            {
                using var reader = new StreamReader(filePart.OpenReadStream());
                parts[name] = await reader.ReadToEndAsync(cancellationToken);
            }
        }

        // A part without a file name arrives as a form field: it is a file whose name is missing.
        if (form.Keys.FirstOrDefault(k => !textParts.Contains(k)) is { } unnamed)
            return Fail(400, $"part '{unnamed}': the file name is missing (Content-Disposition filename)");
        var uploads = form.Files.Where(f => !textParts.Contains(f.Name)).ToList();
        if (uploads.Count > options.MaxFilesPerUpload)
            return Fail(400, $"at most {options.MaxFilesPerUpload} files per upload");
        var files = new List<NewFile>();
        for (var i = 0; i < uploads.Count; i++)
        {
            var part = uploads[i];
            var label = $"file part {i + 1} ('{part.Name}')";
            var name = FileRules.NormalizeName(part.FileName);
            if (name.Length == 0)
                return Fail(400, $"{label}: the file name is missing (Content-Disposition filename)");
            if (part.Length == 0)
                return Fail(400, $"{label}: the file '{name}' is empty");
            if (part.Length > options.MaxFileBytes)
                return Fail(413, $"{label}: the file '{name}' is larger than {options.MaxFileBytes} bytes");
            using var buffer = new MemoryStream((int)part.Length);
            await part.CopyToAsync(buffer, cancellationToken);
            files.Add(FileRules.Create(FileRules.NewId(), name, FileRules.NormalizeType(part.ContentType), buffer.ToArray()));
        }
        return (new UploadForm(files, parts), null);
    }

    private static (UploadForm?, UploadProblem?) Fail(int status, string message) => (null, new UploadProblem(status, message));
}
