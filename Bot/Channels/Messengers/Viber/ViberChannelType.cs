using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Viber bots: <c>token</c> (the bot's authentication token from the Viber admin panel), optional <c>webhookUrl</c>
/// (the public URL of this channel's webhook; the engine registers it with set_webhook), <c>senderName</c> (shown as
/// the sender of our messages, 28 characters), <c>uri</c> (the bot's chat URI, for deep links; asked from Viber when
/// unset) and <c>apiBaseUrl</c> (Viber's own by default).
/// </summary>
public sealed class ViberChannelType : IChannelType
{
    public const string TypeName = "viber";
    public const string DefaultApiBaseUrl = "https://chatapi.viber.com/pa";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["token"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "Viber", ["token", "webhookUrl", "senderName", "uri", "apiBaseUrl"]);
        var token = ChannelSettingsReader.Required(settings, "token", "the bot's authentication token from the Viber admin panel");
        if (token.Length is < 10 or > 200 || token.Any(char.IsWhiteSpace))
            throw new ChannelSettingsException("settings.token: not a Viber token (10-200 characters without spaces).");
        var senderName = ChannelSettingsReader.Text(settings, "senderName", 28) ?? "BotEngine";
        var uri = ChannelSettingsReader.Text(settings, "uri", 100);
        if (uri is not null && !uri.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new ChannelSettingsException("settings.uri: the bot's chat URI is letters, digits, '_', '-' and '.'.");
        return ChannelSettingsReader.Collect(("token", token), ("webhookUrl", ChannelSettingsReader.Url(settings, "webhookUrl")), ("senderName", senderName),
            ("uri", uri), ("apiBaseUrl", ChannelSettingsReader.Url(settings, "apiBaseUrl")));
    }

    public string? WebhookPath(string channelId) => ViberWebhook.PathOf(channelId);
}
