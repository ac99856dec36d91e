using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Engine.Schema;

public static class ActivityJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(Activity activity) => JsonSerializer.Serialize(activity, Options);

    public static Activity Deserialize(string json) =>
        JsonSerializer.Deserialize<Activity>(json, Options) ?? throw new JsonException("null activity");
}
