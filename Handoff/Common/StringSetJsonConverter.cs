using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Handoff;

/// <summary>
/// System.Text.Json cannot create an <see cref="IReadOnlySet{T}"/>; the host stores requirements and profiles
/// as JSON, so these sets read and write as plain arrays.
/// </summary>
public sealed class StringSetJsonConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return set;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array of strings.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            set.Add(reader.GetString() ?? throw new JsonException("Null in a string set."));
        }

        return set;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var s in value.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(s);
        }

        writer.WriteEndArray();
    }
}
