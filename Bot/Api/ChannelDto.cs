using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Bot.Api;

/// <summary>A configured channel as the API shows it: credentials only by name, never by value.</summary>
public sealed record ChannelDto(
    string Id,
    string Type,
    JsonObject Settings,
    IReadOnlyList<string> SecretsSet,
    string? CallCentre,
    string? Line,
    bool Enabled,
    string? WebhookPath,
    DateTimeOffset UpdatedAt,
    ChannelHealth Health)
{
    public static ChannelDto From(ChannelInstance channel, IReadOnlyList<string> secretsSet, string? webhookPath) => new(
        channel.Id, channel.Type, channel.Settings, secretsSet, channel.CallCentre, channel.Line, channel.Enabled, webhookPath, channel.UpdatedAt, channel.Health);
}
