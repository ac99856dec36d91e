using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Messengers.Facebook;

/// <summary>
/// Facebook Messenger pages: <c>pageToken</c> (the page's access token), <c>appSecret</c> (signs every webhook),
/// <c>verifyToken</c> (any string, given to Meta when subscribing the webhook), optional <c>pageName</c> (the page's
/// username or id, for m.me deep links), <c>apiVersion</c> and <c>apiBaseUrl</c> (Meta's Graph API by default).
/// </summary>
public sealed class FacebookChannelType : IChannelType
{
    public const string TypeName = "facebook";
    public const string DefaultApiBaseUrl = "https://graph.facebook.com";
    public const string DefaultApiVersion = "v21.0";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["pageToken", "appSecret", "verifyToken"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "Facebook", ["pageToken", "appSecret", "verifyToken", "pageName", "apiVersion", "apiBaseUrl"]);
        var pageToken = ChannelSettingsReader.Required(settings, "pageToken", "the page's access token from the Meta app's Messenger settings");
        var appSecret = ChannelSettingsReader.Required(settings, "appSecret", "the Meta app's secret, which signs every webhook");
        var verifyToken = ChannelSettingsReader.Required(settings, "verifyToken", "any string you also give Meta when subscribing the webhook");
        foreach (var (name, value) in new[] { ("pageToken", pageToken), ("appSecret", appSecret), ("verifyToken", verifyToken) })
        {
            if (value.Length is < 8 or > 500 || value.Any(char.IsWhiteSpace))
                throw new ChannelSettingsException($"settings.{name}: 8-500 characters without spaces.");
        }
        var pageName = ChannelSettingsReader.Text(settings, "pageName", 100);
        if (pageName is not null && !pageName.All(c => char.IsAsciiLetterOrDigit(c) || c == '.'))
            throw new ChannelSettingsException("settings.pageName: the page's username (letters, digits and '.') or its id.");
        var version = ChannelSettingsReader.Text(settings, "apiVersion", 10) ?? DefaultApiVersion;
        if (!version.StartsWith('v') || !Version.TryParse(version[1..], out _))
            throw new ChannelSettingsException($"settings.apiVersion: '{version}' is not a Graph API version such as {DefaultApiVersion}.");
        return ChannelSettingsReader.Collect(("pageToken", pageToken), ("appSecret", appSecret), ("verifyToken", verifyToken), ("pageName", pageName),
            ("apiVersion", version), ("apiBaseUrl", ChannelSettingsReader.Url(settings, "apiBaseUrl")));
    }

    public string? WebhookPath(string channelId) => FacebookWebhook.PathOf(channelId);
}
