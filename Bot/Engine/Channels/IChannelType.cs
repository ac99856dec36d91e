using System.Text.Json.Nodes;

namespace BotEngine.Engine.Channels;

/// <summary>A kind of channel that instances can be configured for at run time (Telegram, ...).</summary>
public interface IChannelType
{
    /// <summary>The type's name in the API and in stored rows: lower-case, e.g. "telegram".</summary>
    string Name { get; }

    /// <summary>Settings that are credentials: stored, used, and never returned by the API.</summary>
    IReadOnlyCollection<string> SecretSettings { get; }

    /// <summary>The settings to store, normalised; throws <see cref="ChannelSettingsException"/> naming the field at fault.</summary>
    JsonObject Validate(JsonObject settings);

    /// <summary>The path the messenger posts its webhook to, for the administrator to give it; null for a type without one.</summary>
    string? WebhookPath(string channelId) => null;
}
