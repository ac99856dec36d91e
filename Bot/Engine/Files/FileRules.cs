using System.Security.Cryptography;

namespace BotEngine.Engine.Files;

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

    public const string Pdf = "application/pdf";

    /// <summary>
    /// A PDF that may be shown inline as a preview: declared as one and starting with the PDF signature, so what the
    /// browser hands to its PDF viewer is a PDF whatever the uploader claimed (HTML named .pdf stays a download).
    /// </summary>
    public static bool IsPreviewablePdf(string contentType, ReadOnlySpan<byte> content) =>
        contentType == Pdf && content.StartsWith("%PDF-"u8);

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
