using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Telegram bots: <c>token</c> (from @BotFather), <c>mode</c> (<c>polling</c>, the default, or <c>webhook</c>),
/// <c>webhookSecret</c> (required for webhooks: Telegram sends it in X-Telegram-Bot-Api-Secret-Token), optional
/// <c>webhookUrl</c> (the public URL Telegram should post to; the engine registers it) and <c>apiBaseUrl</c> (a local
/// Bot API server or an emulator; Telegram's own by default).
/// </summary>
public sealed partial class TelegramChannelType : IChannelType
{
    public const string TypeName = "telegram";
    public const string Polling = "polling";
    public const string Webhook = "webhook";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["token", "webhookSecret"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "Telegram", ["token", "mode", "webhookSecret", "webhookUrl", "apiBaseUrl"]);

        var token = ChannelSettingsReader.Text(settings, "token") ?? throw new ChannelSettingsException("settings.token: required, the bot's token from @BotFather.");
        if (!TokenShape().IsMatch(token))
            throw new ChannelSettingsException("settings.token: not a Telegram bot token (digits, ':', then letters, digits, '_' or '-').");
        var mode = ChannelSettingsReader.Text(settings, "mode") ?? Polling;
        if (mode is not (Polling or Webhook))
            throw new ChannelSettingsException($"settings.mode: '{mode}' is neither 'polling' nor 'webhook'.");
        var secret = ChannelSettingsReader.Text(settings, "webhookSecret");
        if (secret is not null && !SecretShape().IsMatch(secret))
            throw new ChannelSettingsException("settings.webhookSecret: 1-256 characters of A-Z, a-z, 0-9, '_' and '-' (Telegram's rule).");
        if (mode == Webhook && secret is null)
            throw new ChannelSettingsException("settings.webhookSecret: required in webhook mode, so that only Telegram can post to the webhook.");
        var webhookUrl = ChannelSettingsReader.Url(settings, "webhookUrl");
        var apiBaseUrl = ChannelSettingsReader.Url(settings, "apiBaseUrl");

        return ChannelSettingsReader.Collect(("token", token), ("mode", mode), ("webhookSecret", secret), ("webhookUrl", webhookUrl), ("apiBaseUrl", apiBaseUrl));
    }

    public string? WebhookPath(string channelId) => TelegramWebhook.PathOf(channelId);

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{10,100}$")]
    private static partial Regex TokenShape();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretShape();
}
