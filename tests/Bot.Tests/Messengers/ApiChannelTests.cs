using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers.CustomApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>The custom API channel: a company's app posts client messages and gets replies on its signed webhook, or polls.</summary>
public sealed class ApiChannelTests
{
    private const string ApiKey = "app-key-0123456789abcdef0123";
    private const string WebhookSecret = "webhook-secret-0123456789";

    [Fact]
    public async Task An_app_posts_messages_with_its_key_and_gets_signed_replies_on_its_webhook_retried_after_a_failure()
    {
        await using var app = await AppWebhook.StartAsync(failFirst: 1);
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "shop-app", "api", new { apiKey = ApiKey, webhookUrl = app.Url, webhookSecret = WebhookSecret });
        using var client = AppClient(engine, ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AppClient(engine, "wrong-key-0000000000000000").PostAsJsonAsync("/channels/api/shop-app/messages",
            new { userId = "u1", messageId = "a0", text = "Позовите оператора" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.PostAsJsonAsync("/channels/api/shop-app/messages", new { userId = "u1", messageId = "a0", text = "x" })).StatusCode);
        var missing = await client.PostAsJsonAsync("/channels/api/shop-app/messages", new { userId = "u1", text = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("messageId", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);

        var question = new { userId = "u1", userName = "Иван Петров", messageId = "a1", text = "Как мне заблокировать свою карту?", phone = "8 (912) 345-67-89" };
        var accepted = await client.PostAsJsonAsync("/channels/api/shop-app/messages", question);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("api:shop-app:u1", (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/channels/api/shop-app/messages", question)).StatusCode);

        // The first push is refused (500): the outbox tries again, and the app gets each reply once, signed.
        var answer = await app.WaitForAsync(r => r.Body["activity"]?["text"]?.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(60));
        Assert.Equal("sha256=" + ApiChannelSender.Sign(WebhookSecret, answer.Timestamp, answer.Raw), answer.Signature);
        Assert.Equal("u1", answer.Body["userId"]!.GetValue<string>());
        Assert.NotEmpty(answer.Body["activity"]!["suggestedActions"]!["actions"]!.AsArray());
        Assert.True(app.Refused >= 1);
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(app.Received.Count, app.Received.Select(r => r.Body["id"]!.GetValue<string>()).Distinct().Count());

        var dialog = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.Single()!;
        Assert.Equal(1, await MessengerSteps.InboundCountAsync(admin, dialog["id"]!.GetValue<string>()));
        // The app vouches for its signed-in user's phone.
        var profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{dialog["clientId"]!.GetValue<string>()}"))!["profile"]!;
        Assert.Equal("+79123456789", profile["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_webhook_the_app_reads_replies_by_polling_after_a_cursor()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "poll-app", "api", new { apiKey = ApiKey });
        using var client = AppClient(engine, ApiKey);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/channels/api/poll-app/messages", new { userId = "u7", messageId = "p1", text = "Как мне заблокировать свою карту?" })).StatusCode);

        var replies = await Eventually.WaitAsync(async () =>
        {
            var page = (await client.GetFromJsonAsync<JsonArray>("/channels/api/poll-app/users/u7/messages"))!;
            return page.Any(r => r!["activity"]!["text"]?.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) == true) ? page : null;
        });
        var cursor = replies[^1]!["cursor"]!.GetValue<string>();
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>($"/channels/api/poll-app/users/u7/messages?after={Uri.EscapeDataString(cursor)}"))!);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/channels/api/poll-app/users/u7/messages?after=garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.GetAsync("/channels/api/poll-app/users/u7/messages")).StatusCode);
        Assert.Contains("/channels/api/{channel}/messages", await engine.Http.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    private static HttpClient AppClient(EngineHost engine, string key)
    {
        var client = new HttpClient { BaseAddress = engine.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The company's app: a webhook that records what it gets and refuses the first pushes.</summary>
    private sealed class AppWebhook : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _failures;
        private int _refused;

        private AppWebhook(WebApplication app, int failures) => (_app, _failures) = (app, failures);

        public string Url { get; private set; } = "";

        public int Refused => Volatile.Read(ref _refused);

        public ConcurrentQueue<(JsonObject Body, byte[] Raw, string Timestamp, string Signature)> Received { get; } = new();

        public static async Task<AppWebhook> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var hook = new AppWebhook(app, failFirst);
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                if (Interlocked.Decrement(ref hook._failures) >= 0)
                {
                    Interlocked.Increment(ref hook._refused);
                    return Results.StatusCode(500);
                }
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy);
                var raw = copy.ToArray();
                hook.Received.Enqueue((JsonNode.Parse(raw)!.AsObject(), raw, request.Headers[ApiChannelSender.TimestampHeader].ToString(), request.Headers[ApiChannelSender.SignatureHeader].ToString()));
                return Results.Ok();
            });
            await app.StartAsync();
            hook.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
            return hook;
        }

        public async Task<(JsonObject Body, byte[] Raw, string Timestamp, string Signature)> WaitForAsync(
            Func<(JsonObject Body, byte[] Raw, string Timestamp, string Signature), bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (Received.FirstOrDefault(match) is { Body: not null } found)
                    return found;
                await Task.Delay(50);
            }
            throw new TimeoutException($"The app's webhook got nothing matching: {string.Join(" | ", Received.Select(r => r.Body.ToJsonString()))}");
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
