using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>Errors are clear and in the right shape: ProblemDetails for the API, Direct Line's own for Direct Line.</summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private EngineHost _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHost.StartAsync(StorageKind.Sqlite);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Health_and_openapi_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await _engine.Http.GetAsync("/healthz")).StatusCode);
        var doc = (await _engine.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        Assert.Contains("/api/v1/auth/token", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/dialogs", paths.Select(p => p.Key));
    }

    [Fact]
    public async Task Api_calls_need_a_valid_token()
    {
        var anonymous = await _engine.Http.GetAsync("/api/v1/dialogs");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);

        using var forged = _engine.OperatorClient("eyJzdWIiOiJ4In0.AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/dialogs")).StatusCode);

        var wrong = await _engine.Http.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = "nope-nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var problem = (await wrong.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Wrong login or password.", problem["detail"]!.GetValue<string>());

        var empty = await _engine.Http.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_a_4xx_naming_the_problem()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var badState = await api.GetAsync("/api/v1/dialogs?state=waiting");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Contains("state", (await badState.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());

        var malformed = await api.PostAsync("/api/v1/operators", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var shortPassword = await api.PostAsJsonAsync("/api/v1/operators", new { login = "ivan", password = "123" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("password", (await shortPassword.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/operators", new { login = "ivan", password = "ivan-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/v1/operators", new { login = "ivan", password = "ivan-password" })).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/dialogs/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "sleeping" })).StatusCode);

        // A plain operator may not create operators.
        using var ivan = _engine.OperatorClient(await _engine.OperatorTokenAsync("ivan", "ivan-password"));
        Assert.Equal(HttpStatusCode.Forbidden, (await ivan.PostAsJsonAsync("/api/v1/operators", new { login = "x", password = "xxxxxxxxxx" })).StatusCode);
    }

    [Fact]
    public async Task Classify_returns_top_three_intents()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var result = (await (await api.PostAsJsonAsync("/api/v1/nlu/classify", new { text = "потерял карту что делать" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var intents = result["intents"]!.AsArray();
        Assert.Equal(3, intents.Count);
        Assert.True(intents[0]!["confidence"]!.GetValue<double>() >= intents[1]!["confidence"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/nlu/classify", new { text = "" })).StatusCode);
    }

    [Fact]
    public async Task Direct_line_errors_use_the_direct_line_shape()
    {
        var http = _engine.Http;
        var noAuth = await http.PostAsync("/v3/directline/conversations", null);
        Assert.Equal(HttpStatusCode.Unauthorized, noAuth.StatusCode);
        Assert.NotNull((await noAuth.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]);

        using var badSecret = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        badSecret.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(badSecret)).StatusCode);

        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        using var other = await DirectLineClient.StartAsync(_engine.BaseUri);
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{other.ConversationId}/activities");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(foreign)).StatusCode);

        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/v3/directline/conversations/nope/activities");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        var unknownResponse = await http.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.NotFound, unknownResponse.StatusCode);

        using var garbage = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{chat.ConversationId}/activities")
        {
            Content = new StringContent("{\"type\": ", Encoding.UTF8, "application/json"),
        };
        garbage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        var garbageResponse = await http.SendAsync(garbage);
        Assert.Equal(HttpStatusCode.BadRequest, garbageResponse.StatusCode);
        Assert.Equal("BadArgument", (await garbageResponse.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tokens_generate_and_refresh_and_preflight_allows_webchat_headers()
    {
        using var generate = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        generate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        var generated = (await (await _engine.Http.SendAsync(generate)).Content.ReadFromJsonAsync<JsonObject>())!;
        var token = generated["token"]!.GetValue<string>();
        Assert.Equal(1800, generated["expires_in"]!.GetValue<int>());

        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/refresh");
        refresh.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var refreshed = (await (await _engine.Http.SendAsync(refresh)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(generated["conversationId"]!.GetValue<string>(), refreshed["conversationId"]!.GetValue<string>());

        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = await _engine.Http.SendAsync(start);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v3/directline/conversations");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-ms-bot-agent,x-requested-with");
        var allowed = await _engine.Http.SendAsync(preflight);
        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
