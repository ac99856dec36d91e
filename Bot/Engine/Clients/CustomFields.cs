using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Engine.Clients;

/// <summary>Checks custom field values against the administrator's definitions.</summary>
public static class CustomFields
{
    public static readonly IReadOnlyList<string> Types = ["text", "number", "date", "boolean"];
    private const int MaxText = 1000;

    /// <summary>The value to store for <paramref name="name"/>, or an error naming <c>fields.name</c>.</summary>
    public static JsonNode? Check(string name, JsonNode? value, IReadOnlyDictionary<string, ClientFieldDefinition> definitions)
    {
        if (!definitions.TryGetValue(name, out var definition))
            throw new ClientProfileException($"fields.{name}: no such custom field (defined: {(definitions.Count == 0 ? "none" : string.Join(", ", definitions.Keys))}).", "client.unknown_field");
        if (value is null)
            return null;
        var kind = value.GetValueKind();
        var ok = definition.Type switch
        {
            "text" => kind == JsonValueKind.String && value.GetValue<string>().Length <= MaxText,
            "number" => kind == JsonValueKind.Number,
            "date" => kind == JsonValueKind.String && DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => false,
        };
        if (!ok)
        {
            var expected = definition.Type switch
            {
                "text" => $"a string of at most {MaxText} characters",
                "number" => "a number",
                "date" => "a date as yyyy-MM-dd",
                _ => "true or false",
            };
            throw new ClientProfileException($"fields.{name}: expected {expected}.", "client.bad_field");
        }
        return value.DeepClone();
    }

    /// <summary>A custom field's value as text, the way a site signs it.</summary>
    public static string AsText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
