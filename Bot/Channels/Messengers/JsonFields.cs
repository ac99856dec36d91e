using System.Text.Json.Nodes;

namespace BotEngine.Channels.Messengers;

/// <summary>Reads a field of a messenger's JSON leniently: null when it is absent or of another type.</summary>
public static class JsonFields
{
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    public static double? Double(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
