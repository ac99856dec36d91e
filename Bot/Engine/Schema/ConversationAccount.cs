using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Engine.Schema;

public sealed class ConversationAccount
{
    public string? Id { get; set; }
    public bool? IsGroup { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
