using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>
/// The send APIs of Viber (<c>/pa/{method}</c>), VK (<c>/method/{method}</c>) and Messenger (<c>/{version}/me/messages</c>)
/// on a loopback port, written from their public documentation: what they take, what they answer, and their errors
/// in each API's own shape. Also serves client files as the messengers' media servers would.
/// </summary>
public sealed class FakeMessengerApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task<bool>>> _failures = new();
    private readonly ConcurrentDictionary<string, byte[]> _media = new();
    private readonly ConcurrentDictionary<string, bool> _unsubscribed = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _nextToken = 5000;

    private FakeMessengerApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every call, in order: the API ("viber", "vk", "facebook"), the method and the request (JSON, or the form as an object).</summary>
    public ConcurrentQueue<(string Api, string Method, JsonObject Body)> Calls { get; } = new();

    /// <summary>Sends Viber refused because the receiver is not subscribed.</summary>
    public ConcurrentQueue<JsonObject> Refused { get; } = new();

    /// <summary>This Viber user has unsubscribed: every send to them is refused with status 6.</summary>
    public void Unsubscribe(string user) => _unsubscribed[user] = true;

    /// <summary>What the webhook answered when set_webhook made Viber check it.</summary>
    public ConcurrentQueue<int> WebhookChecks { get; } = new();

    public static async Task<FakeMessengerApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // a peer of the test, not the engine under test: its request log would only bury the test results in the output
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMessengerApi(app);
        app.MapPost("/pa/{method}", fake.ViberAsync);
        app.MapPost("/method/{method}", fake.VkAsync);
        app.MapPost("/{version}/me/messages", fake.FacebookAsync);
        app.MapGet("/media/{name}", (string name) => fake._media.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>A file the client sends, at a URL of the messenger's media server.</summary>
    public string Media(string name, byte[] content)
    {
        _media[name] = content;
        return $"{BaseUrl}/media/{name}";
    }

    /// <summary>The next send call is refused with this status and body (in the API's own shape).</summary>
    public void FailNext(int status, JsonObject body) => _failures.Enqueue(async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(body);
        return true;
    });

    public IEnumerable<JsonObject> Sent(string api, string method) => Calls.Where(c => c.Api == api && c.Method == method).Select(c => c.Body);

    public async Task<JsonObject> WaitForAsync(string api, string method, Func<JsonObject, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Sent(api, method).FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Nothing matching went to {api} {method}. Calls: {string.Join(" | ", Calls.Select(c => $"{c.Api} {c.Method} {c.Body.ToJsonString()}"))}");
    }

    private async Task ViberAsync(string method, HttpContext context)
    {
        var body = await context.Request.ReadFromJsonAsync<JsonObject>() ?? [];
        if (context.Request.Headers["X-Viber-Auth-Token"] != ViberToken)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject { ["status"] = 2, ["status_message"] = "invalidAuthToken" });
            return;
        }
        if (method == "send_message" && _failures.TryDequeue(out var fail) && await fail(context))
            return;
        if (method == "send_message" && _unsubscribed.ContainsKey(body["receiver"]?.GetValue<string>() ?? ""))
        {
            Refused.Enqueue(body);
            await context.Response.WriteAsJsonAsync(new JsonObject { ["status"] = 6, ["status_message"] = "receiverNotSubscribed" });
            return;
        }
        Calls.Enqueue(("viber", method, body));
        JsonObject answer = method switch
        {
            "get_account_info" => new() { ["status"] = 0, ["status_message"] = "ok", ["id"] = "pa:1", ["name"] = "Shop", ["uri"] = "shopbot" },
            "set_webhook" => await CheckViberWebhookAsync(body["url"]!.GetValue<string>()),
            _ => new() { ["status"] = 0, ["status_message"] = "ok", ["message_token"] = Interlocked.Increment(ref _nextToken) },
        };
        await context.Response.WriteAsJsonAsync(answer);
    }

    /// <summary>As Viber does: set_webhook succeeds only if the URL answers a signed "webhook" callback with 200.</summary>
    private async Task<JsonObject> CheckViberWebhookAsync(string url)
    {
        var payload = Encoding.UTF8.GetBytes(new JsonObject { ["event"] = "webhook", ["timestamp"] = 1_700_000_000_000, ["message_token"] = 1 }.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Viber-Content-Signature", WebhookSignature.Of(ViberToken, payload));
        using var response = await _http.SendAsync(request);
        WebhookChecks.Enqueue((int)response.StatusCode);
        return response.IsSuccessStatusCode
            ? new() { ["status"] = 0, ["status_message"] = "ok", ["event_types"] = new JsonArray("delivered", "seen") }
            : new() { ["status"] = 1, ["status_message"] = "invalidUrl" };
    }

    private async Task VkAsync(string method, HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var body = new JsonObject();
        foreach (var (key, value) in form)
            body[key] = value.ToString();
        if (body["access_token"]?.GetValue<string>() != VkToken)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["error_code"] = 5, ["error_msg"] = "User authorization failed" } });
            return;
        }
        if (method == "messages.send" && _failures.TryDequeue(out var fail) && await fail(context))
            return;
        // VK drops a message whose random_id it has seen from this community to this peer.
        var repeat = method == "messages.send" && Sent("vk", method).Any(s => s["random_id"]?.GetValue<string>() == body["random_id"]?.GetValue<string>() && s["peer_id"]?.GetValue<string>() == body["peer_id"]?.GetValue<string>());
        if (!repeat)
            Calls.Enqueue(("vk", method, body));
        await context.Response.WriteAsJsonAsync(new JsonObject { ["response"] = method == "messages.send" ? Interlocked.Increment(ref _nextToken) : 1 });
    }

    private async Task FacebookAsync(string version, HttpContext context)
    {
        var body = await context.Request.ReadFromJsonAsync<JsonObject>() ?? [];
        if (context.Request.Query["access_token"] != FacebookToken)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = "Invalid OAuth access token.", ["type"] = "OAuthException", ["code"] = 190 } });
            return;
        }
        if (body["sender_action"] is null && _failures.TryDequeue(out var fail) && await fail(context))
            return;
        Calls.Enqueue(("facebook", "messages", body));
        await context.Response.WriteAsJsonAsync(new JsonObject { ["recipient_id"] = body["recipient"]?["id"]?.DeepClone(), ["message_id"] = "m_" + Interlocked.Increment(ref _nextToken) });
    }

    public const string ViberToken = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9";
    public const string VkToken = "vk1.a.community-token-for-the-fake-api-0123456789";
    public const string FacebookToken = "EAAGpage-token-for-the-fake-graph-api";

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
