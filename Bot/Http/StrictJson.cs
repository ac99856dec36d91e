using System.Text.Json;

namespace BotEngine.Http;

/// <summary>
/// The one check every JSON body passes before any endpoint reads it: well-formed, valid UTF-8 (and no lone UTF-16
/// surrogate escapes), no deeper than a limit, and no object with the same property twice (compared ignoring case,
/// since the activity model binds names that way). Lazily parsed parts such as <c>channelData</c> and <c>value</c>
/// would otherwise throw deep inside a request or a turn.
/// </summary>
public static class StrictJson
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Null when the text is acceptable; otherwise what is wrong, with the JSON path where it is known.</summary>
    public static string? Check(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        if (utf8.StartsWith(Bom))
            utf8 = utf8[Bom.Length..];
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            // What a reader downstream allows (a KB document may carry comments) is its own decision.
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        // One frame per open object or array: the names seen in an object (null for an array) and the path to it.
        var frames = new Stack<(HashSet<string>? Names, string Path)>();
        var pendingName = "";
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = frames.Count == 0 ? "$" : frames.Peek().Names is null ? frames.Peek().Path + "[]" : frames.Peek().Path + "." + pendingName;
                        frames.Push((reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null, path));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString()!;
                        if (!frames.Peek().Names!.Add(pendingName))
                            return $"the property '{pendingName}' appears twice in {frames.Peek().Path}.";
                        break;
                    case JsonTokenType.String:
                        _ = reader.GetString(); // transcoding is what finds invalid UTF-8 and lone surrogates
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            var cut = ex.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (cut > 0 ? ex.Message[..cut] : ex.Message) + $" (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
        }
        catch (InvalidOperationException)
        {
            var where = frames.Count == 0 ? "$" : frames.Peek().Path;
            return $"a string in {where} is not valid UTF-8 (or holds an unpaired UTF-16 surrogate) at byte {reader.TokenStartIndex}.";
        }
        return null;
    }
}
