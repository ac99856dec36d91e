using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Bots registered with Azure Bot Service (Teams, Azure's Web Chat): <c>appId</c> (the Microsoft App ID, the audience of
/// the Connector's tokens), <c>appPassword</c> (its client secret, write-only), optional <c>tenant</c> (a single-tenant
/// app's directory id; multi-tenant apps leave it out), and the Microsoft endpoints, overridable for a local Connector:
/// <c>openIdMetadataUrl</c> (the Connector's signing keys) and <c>tokenEndpoint</c> (where our outbound token comes from).
/// </summary>
public sealed class BotFrameworkChannelType : IChannelType
{
    public const string TypeName = "botframework";
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultTenant = "botframework.com";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["appPassword"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "Bot Framework", ["appId", "appPassword", "tenant", "openIdMetadataUrl", "tokenEndpoint"]);
        var appId = ChannelSettingsReader.Required(settings, "appId", "the Microsoft App ID of the Azure Bot resource");
        if (appId.Length > 100 || appId.Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#'))
            throw new ChannelSettingsException("settings.appId: not an App ID (up to 100 characters, no spaces; Azure shows a GUID).");
        var password = ChannelSettingsReader.Required(settings, "appPassword", "a client secret of the App ID (Azure: Certificates & secrets)");
        if (password.Length > 500)
            throw new ChannelSettingsException("settings.appPassword: at most 500 characters.");
        var tenant = ChannelSettingsReader.Text(settings, "tenant", 100);
        if (tenant is not null && !tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            throw new ChannelSettingsException("settings.tenant: the directory (tenant) id of a single-tenant app: a GUID or a domain.");
        return ChannelSettingsReader.Collect(("appId", appId), ("appPassword", password), ("tenant", tenant),
            ("openIdMetadataUrl", SecureUrl(settings, "openIdMetadataUrl")), ("tokenEndpoint", SecureUrl(settings, "tokenEndpoint")));
    }

    public string? WebhookPath(string channelId) => BotFrameworkEndpoints.PathOf(channelId);

    public static string OpenIdMetadataUrl(ChannelInstance channel) => channel.Setting("openIdMetadataUrl") ?? DefaultOpenIdMetadataUrl;

    public static string TokenEndpoint(ChannelInstance channel) =>
        channel.Setting("tokenEndpoint") ?? $"https://login.microsoftonline.com/{channel.Setting("tenant") ?? DefaultTenant}/oauth2/v2.0/token";

    /// <summary>Keys and tokens travel over these: plain http only to this machine (a local Connector).</summary>
    private static string? SecureUrl(JsonObject settings, string name)
    {
        var url = ChannelSettingsReader.Url(settings, name);
        if (url is not null && new Uri(url) is { Scheme: "http" } uri && !uri.IsLoopback)
            throw new ChannelSettingsException($"settings.{name}: must be https (plain http only to a loopback address).");
        return url;
    }
}
