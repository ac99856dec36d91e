using System.Globalization;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Messengers.Vk;

/// <summary>
/// VK community bots over the Callback API: <c>token</c> (the community's access token with messages rights),
/// <c>secret</c> (the Callback API's secret key, sent in every callback), <c>confirmation</c> (the string VK expects
/// when it checks the server), <c>groupId</c>, optional <c>screenName</c> (for vk.me deep links), <c>apiVersion</c>
/// and <c>apiBaseUrl</c> (VK's own by default).
/// </summary>
public sealed class VkChannelType : IChannelType
{
    public const string TypeName = "vk";
    public const string DefaultApiBaseUrl = "https://api.vk.com/method";
    public const string DefaultApiVersion = "5.199";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["token", "secret"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "VK", ["token", "secret", "confirmation", "groupId", "screenName", "apiVersion", "apiBaseUrl"]);
        var token = ChannelSettingsReader.Required(settings, "token", "the community's access token (Manage community, API usage)");
        if (token.Length is < 20 or > 400 || token.Any(char.IsWhiteSpace))
            throw new ChannelSettingsException("settings.token: not a VK access token (20-400 characters without spaces).");
        var secret = ChannelSettingsReader.Required(settings, "secret", "the Callback API's secret key, so that only VK can post to the callback");
        var confirmation = ChannelSettingsReader.Required(settings, "confirmation", "the string VK shows in the Callback API settings to confirm the server");
        var groupText = settings["groupId"] is JsonValue number && number.TryGetValue<long>(out var n) ? n.ToString(CultureInfo.InvariantCulture) : ChannelSettingsReader.Text(settings, "groupId");
        if (groupText is null || !long.TryParse(groupText, NumberStyles.None, CultureInfo.InvariantCulture, out var groupId) || groupId <= 0)
            throw new ChannelSettingsException("settings.groupId: required, the community's numeric id.");
        var screenName = ChannelSettingsReader.Text(settings, "screenName", 100);
        if (screenName is not null && !screenName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            throw new ChannelSettingsException("settings.screenName: the community's short address is letters, digits, '_' and '.'.");
        var version = ChannelSettingsReader.Text(settings, "apiVersion", 10) ?? DefaultApiVersion;
        if (!Version.TryParse(version, out _))
            throw new ChannelSettingsException($"settings.apiVersion: '{version}' is not a VK API version such as {DefaultApiVersion}.");
        return ChannelSettingsReader.Collect(("token", token), ("secret", secret), ("confirmation", confirmation), ("groupId", groupId.ToString(CultureInfo.InvariantCulture)),
            ("screenName", screenName), ("apiVersion", version), ("apiBaseUrl", ChannelSettingsReader.Url(settings, "apiBaseUrl")));
    }

    public string? WebhookPath(string channelId) => VkCallback.PathOf(channelId);
}
