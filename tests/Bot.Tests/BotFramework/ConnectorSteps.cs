using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Messengers;
using BotEngine.Channels.BotFramework;

namespace BotEngine.Bot.Tests.BotFramework;

/// <summary>What the Connector does towards the engine: activities posted with its bearer token.</summary>
internal static class ConnectorSteps
{
    public const string Channel = "teams-bot";

    public static Task SaveChannelAsync(HttpClient admin, FakeConnector connector, string appPassword = FakeConnector.AppPassword) =>
        MessengerSteps.SaveChannelAsync(admin, Channel, BotFrameworkChannelType.TypeName, new
        {
            appId = FakeConnector.AppId,
            appPassword,
            openIdMetadataUrl = connector.OpenIdMetadataUrl,
            tokenEndpoint = connector.TokenEndpoint,
        });

    public static Task<HttpResponseMessage> PostAsync(EngineHost engine, JsonObject activity, string? token, string? path = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path ?? BotFrameworkEndpoints.PathOf(Channel)) { Content = JsonContent.Create(activity) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return engine.Http.SendAsync(request);
    }
}
