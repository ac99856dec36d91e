using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.KnowledgeBase;

public static class KbJson
{
    /// <summary>
    /// Strict on purpose: an unknown field or a null list in an imported document is a mistake to report,
    /// not something to drop silently (that would make export/import lossy).
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static KbDocument Parse(string json) =>
        JsonSerializer.Deserialize<KbDocument>(json, Options) ?? throw new JsonException("The knowledge base document is empty.");

    public static string Write(KbDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Parses without throwing; the error names the JSON path and line of the problem.</summary>
    public static bool TryParse(string json, out KbDocument? document, out KbValidationError? error)
    {
        document = null;
        error = null;
        try
        {
            document = Parse(json);
            return true;
        }
        catch (JsonException e)
        {
            error = new KbValidationError(ToFieldPath(e.Path), FirstSentence(e.Message) + (e.LineNumber is { } line ? $" (line {line + 1})" : ""));
            return false;
        }
    }

    public static T Clone<T>(T value) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, Options), Options)!;

    // "$.articles[3].answers" -> "articles[3].answers", matching the validator's paths.
    private static string ToFieldPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>Enums as camelCase strings; reading ignores case, numbers are refused.</summary>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
