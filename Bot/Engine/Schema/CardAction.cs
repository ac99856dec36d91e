using System.Text.Json.Nodes;

namespace BotEngine.Engine.Schema;

public sealed class CardAction
{
    public string Type { get; set; } = "imBack";
    public string? Title { get; set; }
    public JsonNode? Value { get; set; }
    public string? Text { get; set; }
    public string? DisplayText { get; set; }
}
