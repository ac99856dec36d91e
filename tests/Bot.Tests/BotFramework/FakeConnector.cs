using System.Collections.Concurrent;
using System.Security.Cryptography;
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

namespace BotEngine.Bot.Tests.BotFramework;

/// <summary>
/// Azure Bot Service's side of a bot, on a loopback port, from the Bot Framework REST documentation: the OpenID
/// metadata and signing keys (RSA keys made here, each endorsed for some channels), the token endpoint that grants
/// client credentials to the one App ID and secret it knows, the Connector's v3/conversations API (which records what
/// it was sent and can be told to fail), and a media server for clients' files that wants the bot's token as Teams' does.
/// It also signs the tokens the Connector puts on the activities it posts to the bot.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    public const string AppId = "9f2b1c3e-0000-4000-8000-00000000b0ff";
    public const string AppPassword = "app-secret~0123456789";
    public const string TeamsKey = "teams-key";
    public const string WebChatOnlyKey = "webchat-key";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (RSA Rsa, string[] Endorsements)> _keys = new();
    private readonly ConcurrentQueue<(int Status, TimeSpan? RetryAfter)> _failures = new();
    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private readonly ConcurrentDictionary<string, byte[]> _media = new();
    private int _keyFetches;
    private int _tokenGrants;

    private FakeConnector(WebApplication app)
    {
        _app = app;
        AddKey(TeamsKey, "msteams", "webchat");
        AddKey(WebChatOnlyKey, "webchat");
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The serviceUrl activities carry: the Connector's API lives here (Teams' is a regional smba address).</summary>
    public string ServiceUrl => BaseUrl + "/teams/";

    public string OpenIdMetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public string TokenEndpoint => BaseUrl + "/botframework.com/oauth2/v2.0/token";

    /// <summary>Activities the Connector took, in order: the conversation, the replyToId in the path, and the body.</summary>
    public ConcurrentQueue<(string Conversation, string? ReplyToId, JsonObject Activity)> Received { get; } = new();

    /// <summary>Posts it answered with a failure (told to by <see cref="FailNext"/>).</summary>
    public ConcurrentQueue<JsonObject> Failed { get; } = new();

    public int KeyFetches => _keyFetches;

    public int TokenGrants => _tokenGrants;

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // a peer of the test, not the engine under test: its request log would only bury the test results in the output
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeConnector(app);
        app.MapGet("/v1/.well-known/openidconfiguration", fake.Metadata);
        app.MapGet("/v1/.well-known/keys", fake.Keys);
        app.MapPost("/botframework.com/oauth2/v2.0/token", (HttpRequest request) => fake.GrantAsync(request.HttpContext));
        app.MapPost("/teams/v3/conversations/{conversation}/activities", (string conversation, HttpContext context) => fake.ReceiveAsync(conversation, null, context));
        app.MapPost("/teams/v3/conversations/{conversation}/activities/{replyTo}", (string conversation, string replyTo, HttpContext context) => fake.ReceiveAsync(conversation, replyTo, context));
        app.MapGet("/teams/media/{name}", fake.Media);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>A new signing key the Connector publishes from now on (a key rotation).</summary>
    public void AddKey(string kid, params string[] endorsements) => _keys[kid] = (RSA.Create(2048), endorsements);

    /// <summary>The next post to the conversations API fails with this status (and Retry-After).</summary>
    public void FailNext(int status, TimeSpan? retryAfter = null) => _failures.Enqueue((status, retryAfter));

    /// <summary>A client's file on the Connector's media host (fetched with the bot's token only).</summary>
    public string MediaUrl(string name, byte[] content)
    {
        _media[name] = content;
        return $"{BaseUrl}/teams/media/{name}";
    }

    /// <summary>A token as the Connector signs it; every part can be made wrong for the refusal tests.</summary>
    public string Token(string? serviceUrl = null, string audience = AppId, string issuer = "https://api.botframework.com", string kid = TeamsKey,
        DateTime? expires = null, RSA? signWith = null)
    {
        var rsa = signWith ?? _keys[kid].Rsa;
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = until.AddHours(-1),
            NotBefore = until.AddHours(-1),
            Expires = until,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl ?? ServiceUrl },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An activity as Teams posts it in a one-to-one chat with the bot.</summary>
    public JsonObject Activity(string type, string conversation, string user, string? text = null, JsonArray? attachments = null)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "f:" + Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = user, ["name"] = "Иван Петров", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000aa" },
            ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = "tenant-1", ["id"] = conversation },
            ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "Банк" },
            ["locale"] = "ru-RU",
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
        };
        if (text is not null)
        {
            activity["text"] = text;
            activity["textFormat"] = "plain";
        }
        if (attachments is not null)
            activity["attachments"] = attachments;
        if (type == "conversationUpdate")
            activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = user }, new JsonObject { ["id"] = "28:" + AppId });
        return activity;
    }

    public async Task<(string Conversation, string? ReplyToId, JsonObject Activity)> WaitForAsync(Func<(string Conversation, string? ReplyToId, JsonObject Activity), bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Received.FirstOrDefault(match) is { Activity: not null } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Nothing matching reached the Connector. It got: {string.Join(" | ", Received.Select(r => r.Activity.ToJsonString()))}");
    }

    private IResult Metadata() => Results.Json(new JsonObject
    {
        ["issuer"] = "https://api.botframework.com",
        ["authorization_endpoint"] = "https://invalid.botframework.com",
        ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    });

    private IResult Keys()
    {
        Interlocked.Increment(ref _keyFetches);
        var keys = new JsonArray();
        foreach (var (kid, (rsa, endorsements)) in _keys)
        {
            var parameters = rsa.ExportParameters(false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = kid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]),
            });
        }
        return Results.Json(new JsonObject { ["keys"] = keys });
    }

    private async Task<IResult> GrantAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["scope"] != "https://api.botframework.com/.default")
            return Results.Json(new JsonObject { ["error"] = "invalid_request" }, statusCode: 400);
        if (form["client_id"] != AppId || form["client_secret"] != AppPassword)
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        Interlocked.Increment(ref _tokenGrants);
        var token = "connector-token-" + Guid.NewGuid().ToString("N");
        _issued[token] = true;
        return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token });
    }

    private bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) && _issued.ContainsKey(header[7..]);

    private async Task<IResult> ReceiveAsync(string conversation, string? replyTo, HttpContext context)
    {
        var body = await context.Request.ReadFromJsonAsync<JsonObject>() ?? [];
        if (!Authorized(context))
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "Unauthorized" } }, statusCode: 401);
        if (_failures.TryDequeue(out var failure))
        {
            Failed.Enqueue(body);
            if (failure.RetryAfter is { } wait)
                context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "ServiceError", ["message"] = "told to fail" } }, statusCode: failure.Status);
        }
        Received.Enqueue((conversation, replyTo, body));
        return Results.Json(new JsonObject { ["id"] = "1:" + Guid.NewGuid().ToString("N") });
    }

    private IResult Media(string name, HttpContext context) =>
        !Authorized(context) ? Results.StatusCode(401)
        : _media.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "image/jpeg") : Results.NotFound();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var (rsa, _) in _keys.Values)
            rsa.Dispose();
    }
}
