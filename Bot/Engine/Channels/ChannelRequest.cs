using System.Text.Json.Nodes;

namespace BotEngine.Engine.Channels;

/// <summary>A channel's configuration as an administrator sends it; a credential left out keeps its stored value.</summary>
public sealed record ChannelRequest(string? Type, JsonObject? Settings, string? CallCentre, string? Line, bool? Enabled);
