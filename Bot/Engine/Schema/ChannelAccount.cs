using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Engine.Schema;

public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
