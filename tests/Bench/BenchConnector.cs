using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotEngine.Bench;

/// <summary>
/// The least of Azure Bot Service a bench needs, in this process: a signing key with its OpenID metadata, a token
/// endpoint, and the v3/conversations API, which reports when the bot's reply to a client's activity arrived. The
/// clients post Teams-style activities to the engine's messaging endpoint with a signed token, as the Connector does.
/// </summary>
public sealed class BenchConnector : IAsyncDisposable
{
    public const string AppId = "bench-app-id";
    public const string AppPassword = "bench-app-password";
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _replies = new(StringComparer.Ordinal);
    private string _token = "";

    private BenchConnector(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<BenchConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new BenchConnector(app);
        app.MapGet("/metadata", () => Results.Json(new JsonObject { ["issuer"] = "https://api.botframework.com", ["jwks_uri"] = connector.BaseUrl + "/keys" }));
        app.MapGet("/keys", connector.Keys);
        app.MapPost("/token", () => Results.Json(new JsonObject { ["access_token"] = "bench-connector-token", ["expires_in"] = 3600 }));
        app.MapPost("/v3/conversations/{conversation}/activities/{replyTo}", (string replyTo) =>
        {
            if (connector._replies.TryRemove(replyTo, out var reply))
                reply.TrySetResult(Stopwatch.GetTimestamp());
            return Results.Json(new JsonObject { ["id"] = Guid.NewGuid().ToString("N") });
        });
        app.MapPost("/v3/conversations/{conversation}/activities", () => Results.Json(new JsonObject { ["id"] = Guid.NewGuid().ToString("N") }));
        await app.StartAsync();
        connector.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        connector._token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://api.botframework.com",
            Audience = AppId,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["serviceurl"] = connector.BaseUrl },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(connector._key) { KeyId = "bench" }, SecurityAlgorithms.RsaSha256),
        });
        return connector;
    }

    /// <summary>The channel's settings: this Connector's keys and token endpoint.</summary>
    public JsonObject Settings => new()
    {
        ["appId"] = AppId, ["appPassword"] = AppPassword, ["openIdMetadataUrl"] = BaseUrl + "/metadata", ["tokenEndpoint"] = BaseUrl + "/token",
    };

    /// <summary>Posts the client's message to the engine; the task completes (with a timestamp) when the bot's reply to it reaches the Connector.</summary>
    public async Task<Task<long>> UserSendsAsync(HttpClient engine, string path, int client, string text)
    {
        var id = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = id,
            ["serviceUrl"] = BaseUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = $"29:bench-{client}", ["name"] = "Bench" },
            ["conversation"] = new JsonObject { ["id"] = $"a:bench-{client}" },
            ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "Bench bot" },
            ["text"] = text,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await engine.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return reply.Task;
    }

    private IResult Keys()
    {
        var parameters = _key.ExportParameters(false);
        var key = new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "bench",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["endorsements"] = new JsonArray("msteams"),
        };
        return Results.Json(new JsonObject { ["keys"] = new JsonArray(key) });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
