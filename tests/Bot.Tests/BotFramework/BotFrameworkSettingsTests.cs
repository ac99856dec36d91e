using System.Text.Json.Nodes;
using BotEngine.Channels.BotFramework;
using BotEngine.Engine.Channels;

namespace BotEngine.Bot.Tests.BotFramework;

/// <summary>The channel's settings as PUT /api/v1/channels/{id} validates them (a fault is a 400 naming the field).</summary>
public sealed class BotFrameworkSettingsTests
{
    [Theory]
    [InlineData("""{"appPassword":"x"}""", "settings.appId")]
    [InlineData("""{"appId":"app"}""", "settings.appPassword")]
    [InlineData("""{"appId":"app id","appPassword":"x"}""", "settings.appId")]
    [InlineData("""{"appId":"app","appPassword":"x","openIdMetadataUrl":"http://keys.example.com/meta"}""", "settings.openIdMetadataUrl")]
    [InlineData("""{"appId":"app","appPassword":"x","tokenEndpoint":"not a url"}""", "settings.tokenEndpoint")]
    [InlineData("""{"appId":"app","appPassword":"x","tenant":"not a tenant!"}""", "settings.tenant")]
    [InlineData("""{"appId":"app","appPassword":"x","webhookUrl":"https://x"}""", "settings.webhookUrl")]
    public void Wrong_settings_are_refused_naming_the_field(string settings, string field)
    {
        var refused = Assert.Throws<ChannelSettingsException>(() => new BotFrameworkChannelType().Validate((JsonObject)JsonNode.Parse(settings)!));
        Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Microsofts_endpoints_are_the_default_and_a_local_connector_may_be_plain_http()
    {
        var type = new BotFrameworkChannelType();
        var single = Instance(type.Validate(new JsonObject { ["appId"] = "app", ["appPassword"] = "secret", ["tenant"] = "contoso.onmicrosoft.com" }));
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", BotFrameworkChannelType.TokenEndpoint(single));
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", BotFrameworkChannelType.OpenIdMetadataUrl(single));
        var multi = Instance(type.Validate(new JsonObject { ["appId"] = "app", ["appPassword"] = "secret" }));
        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", BotFrameworkChannelType.TokenEndpoint(multi));
        var local = Instance(type.Validate(new JsonObject { ["appId"] = "app", ["appPassword"] = "secret", ["tokenEndpoint"] = "http://127.0.0.1:5999/token/" }));
        Assert.Equal("http://127.0.0.1:5999/token", BotFrameworkChannelType.TokenEndpoint(local));
        Assert.Equal(new[] { "appPassword" }, type.SecretSettings);
        Assert.Equal("/channels/botframework/teams-bot/messages", type.WebhookPath("teams-bot"));
    }

    private static ChannelInstance Instance(JsonObject settings) =>
        new("teams-bot", BotFrameworkChannelType.TypeName, settings, true, null, null, null, DateTimeOffset.UnixEpoch, new ChannelHealth(null, null, null, null));
}
