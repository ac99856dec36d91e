using System.Text.Json.Nodes;

namespace BotEngine.Engine.Channels;

/// <summary>One configured channel: a Telegram bot, a widget... Its id is the channel name its messages and bindings carry.</summary>
public sealed record ChannelInstance(
    string Id,
    string Type,
    JsonObject Settings,
    bool Enabled,
    string? CallCentre,
    string? Line,
    string? InboundCursor,
    DateTimeOffset UpdatedAt,
    ChannelHealth Health)
{
    public string? Setting(string name) => Settings[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
