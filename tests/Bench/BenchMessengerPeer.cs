using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotEngine.Bench;

/// <summary>
/// The far ends of the webhook channels, in this process: Viber's send API and a company app's webhook for the custom
/// API channel. Each reports when the bot's reply to a user arrived; the requests the users' messages make are built
/// here too, signed as each channel wants them. Its cost is the bench client's.
/// </summary>
public sealed class BenchMessengerPeer : IAsyncDisposable
{
    public const string ViberToken = "bench-viber-token";
    public const string ApiKey = "bench-api-key-of-enough-length-0123456789";
    public const string ApiWebhookSecret = "bench-webhook-secret-of-enough-length";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _replies = new(StringComparer.Ordinal);
    private long _nextToken = 1;

    private BenchMessengerPeer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<BenchMessengerPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new BenchMessengerPeer(app);
        app.MapPost("/viber/{method}", async (string method, HttpRequest request, CancellationToken ct) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: ct) ?? [];
            if (method == "send_message" && body["receiver"]?.GetValue<string>() is { } receiver)
                peer.Arrived(receiver);
            return Results.Json(new JsonObject { ["status"] = 0, ["status_message"] = "ok", ["message_token"] = Interlocked.Increment(ref peer._nextToken) });
        });
        app.MapPost("/app-webhook", async (HttpRequest request, CancellationToken ct) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: ct) ?? [];
            if (body["activity"]?["type"]?.GetValue<string>() == "message" && body["userId"]?.GetValue<string>() is { } user)
                peer.Arrived(user);
            return Results.Ok();
        });
        await app.StartAsync();
        peer.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return peer;
    }

    /// <summary>The settings of the channel of <paramref name="type"/> that point it at this peer.</summary>
    public JsonObject SettingsFor(string type) => type == "viber"
        ? new JsonObject { ["token"] = ViberToken, ["apiBaseUrl"] = BaseUrl + "/viber", ["uri"] = "benchbot" }
        : new JsonObject { ["apiKey"] = ApiKey, ["webhookUrl"] = BaseUrl + "/app-webhook", ["webhookSecret"] = ApiWebhookSecret };

    /// <summary>The task that completes (with a timestamp) when the bot's next reply to <paramref name="user"/> arrives here.</summary>
    public Task<long> ExpectReply(string user)
    {
        var reply = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[user] = reply;
        return reply.Task;
    }

    /// <summary>The user's message as the channel posts it to the engine: a signed Viber callback, or the app's call with its key.</summary>
    public HttpRequestMessage Inbound(string type, string channel, string user, string text)
    {
        if (type == "viber")
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["event"] = "message",
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["message_token"] = Interlocked.Increment(ref _nextToken),
                ["sender"] = new JsonObject { ["id"] = user, ["name"] = "Bench", ["language"] = "ru" },
                ["message"] = new JsonObject { ["type"] = "text", ["text"] = text },
            });
            var request = new HttpRequestMessage(HttpMethod.Post, $"/channels/viber/{channel}/webhook") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Viber-Content-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ViberToken), body)));
            return request;
        }
        var message = new HttpRequestMessage(HttpMethod.Post, $"/channels/api/{channel}/messages")
        {
            Content = JsonContent(new JsonObject { ["userId"] = user, ["messageId"] = Guid.NewGuid().ToString("N"), ["text"] = text }),
        };
        message.Headers.Authorization = new("Bearer", ApiKey);
        return message;
    }

    private static ByteArrayContent JsonContent(JsonObject body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private void Arrived(string user)
    {
        if (_replies.TryRemove(user, out var reply))
            reply.TrySetResult(Stopwatch.GetTimestamp());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
