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

    public static KbDocument Parse(string json)
    {
        var document = JsonSerializer.Deserialize<KbDocument>(json, Options) ?? throw new JsonException("The knowledge base document is empty.");
        // Nullable annotations do not reach list items: a null article, answer or button would break every reader of the KB.
        if (NullListItem(json) is { } path)
            throw new JsonException($"{NullItemMessage}. Path: {path}", path, null, null);
        return document;
    }

    public const string NullItemMessage = "A list item is null; remove it or give it a value";

    /// <summary>
    /// The JSON path ("$.articles[0]") of the first null directly inside an array, or null when there is none.
    /// Nullable annotations do not reach list items, so every reader of a KB entity checks this first.
    /// </summary>
    public static string? NullListItem(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json), new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        // Per open container: its path, and for an array the index of the next item (-1 for an object).
        var frames = new Stack<(string Path, int Next)>();
        var name = "";
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token == JsonTokenType.PropertyName)
            {
                name = reader.GetString()!;
                continue;
            }
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.Pop();
                continue;
            }
            var here = "$";
            if (frames.Count > 0)
            {
                var (path, next) = frames.Pop();
                here = next >= 0 ? $"{path}[{next}]" : $"{path}.{name}";
                frames.Push((path, next >= 0 ? next + 1 : next));
                if (next >= 0 && token == JsonTokenType.Null)
                    return here;
            }
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                frames.Push((here, token == JsonTokenType.StartArray ? 0 : -1));
        }
        return null;
    }

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
            var message = FirstSentence(e.Message) + (e.LineNumber is { } line ? $" (line {line + 1})" : "");
            error = KbValidationError.Of(ToFieldPath(e.Path), "json", message, message);
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
