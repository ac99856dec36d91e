using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotEngine.Bot.Tests.Telegram;

/// <summary>
/// npm <c>telegram-test-api</c> 4.2.1 (a Telegram Bot API emulator written by others) in a node process, acting as the
/// user, behind a small proxy that makes its answers those of the real Bot API, so the engine's unmodified Telegram.Bot
/// client can talk to it: dates in seconds, <c>true</c> where it answers null, errors as <c>{ok:false,...}</c>,
/// long polling (it has none), <c>chat_instance</c> on button presses. What it lacks (sendChatAction, sendPhoto,
/// sendDocument) the proxy answers itself. Needs BOTENGINE_TELEGRAM_TEST_API (set by test.sh) pointing at the package.
/// </summary>
public sealed class TelegramTestApiPeer : IAsyncDisposable
{
    public const string Token = "987654321:peer-token-for-telegram-test-api";
    private readonly Process _node;
    private readonly WebApplication _proxy;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<JsonObject> _received = [];

    private TelegramTestApiPeer(Process node, string emulator, WebApplication proxy, string proxyUrl)
    {
        _node = node;
        EmulatorUrl = emulator;
        _proxy = proxy;
        ProxyUrl = proxyUrl;
    }

    /// <summary>The Bot API the engine is given (the proxy in front of the emulator).</summary>
    public string ProxyUrl { get; }

    public string EmulatorUrl { get; }

    public static async Task<TelegramTestApiPeer> StartAsync()
    {
        var package = Environment.GetEnvironmentVariable("BOTENGINE_TELEGRAM_TEST_API");
        Assert.False(string.IsNullOrEmpty(package) || !Directory.Exists(package),
            "BOTENGINE_TELEGRAM_TEST_API must name the installed telegram-test-api package (./test.sh installs it).");
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                "-e",
                "process.on('unhandledRejection', e => console.error(e)); process.on('uncaughtException', e => console.error(e));"
                + "const S = require(process.env.TTA_PACKAGE); const s = new S({ port: +process.env.TTA_PORT, host: '127.0.0.1', storeTimeout: 600 });"
                + "s.start().then(() => console.log('ready'));",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TTA_PACKAGE"] = package;
        start.Environment["TTA_PORT"] = port.ToString();
        var node = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.OutputDataReceived += (_, e) => { if (e.Data == "ready") ready.TrySetResult(); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var emulator = $"http://127.0.0.1:{port}";

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var proxy = builder.Build();
        var forward = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        proxy.MapPost("/bot{token}/{method}", (string token, string method, HttpRequest request, CancellationToken ct) =>
            ProxyAsync(forward, emulator, token, method, request, ct));
        await proxy.StartAsync();
        var proxyUrl = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TelegramTestApiPeer(node, emulator, proxy, proxyUrl);
    }

    public async Task UserSendsAsync(long chatId, string text)
    {
        var response = await _http.PostAsJsonAsync($"{EmulatorUrl}/sendMessage", new JsonObject
        {
            ["botToken"] = Token,
            ["from"] = User(chatId),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Мария" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        });
        response.EnsureSuccessStatusCode();
    }

    public async Task UserPressesAsync(long chatId, int messageId, string data)
    {
        var response = await _http.PostAsJsonAsync($"{EmulatorUrl}/sendCallback", new JsonObject
        {
            ["botToken"] = Token,
            ["from"] = User(chatId),
            ["message"] = new JsonObject { ["message_id"] = messageId, ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" } },
            ["data"] = data,
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits until the user has received a bot message matching <paramref name="match"/> (the emulator's client API).</summary>
    public async Task<JsonObject> WaitForBotMessageAsync(long chatId, Func<JsonObject, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await _http.PostAsJsonAsync($"{EmulatorUrl}/getUpdates", new { token = Token, chatId });
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            foreach (var update in body["result"]!.AsArray().OfType<JsonObject>())
                _received.Add(update);
            if (_received.FirstOrDefault(u => match(u)) is { } found)
                return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The user got no matching message. Got: {string.Join(" | ", _received.Select(u => u["message"]?["text"]))}");
    }

    private static JsonObject User(long id) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = "Мария", ["language_code"] = "ru" };

    private static async Task<IResult> ProxyAsync(HttpClient forward, string emulator, string token, string method, HttpRequest request, CancellationToken ct)
    {
        switch (method)
        {
            case "sendChatAction":
                return Answer(true);
            case "sendPhoto" or "sendDocument":
                return Answer(new JsonObject { ["message_id"] = 1, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["chat"] = new JsonObject { ["id"] = 0, ["type"] = "private" } });
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        var timeout = method == "getUpdates" && body.Length > 0 && JsonNode.Parse(body.ToArray())?["timeout"]?.GetValue<int>() is { } seconds ? seconds : 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeout);
        while (true)
        {
            using var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = new(request.ContentType?.Split(';')[0] ?? "application/json");
            using var response = await forward.PostAsync($"{emulator}/bot{token}/{method}", content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = JsonNode.Parse(text) as JsonObject ?? [];
            if (response.StatusCode != HttpStatusCode.OK || json["ok"]?.GetValue<bool>() != true)
                return Results.Json(new JsonObject { ["ok"] = false, ["error_code"] = 400, ["description"] = json["message"]?.ToString() ?? text }, statusCode: 400);
            var result = json["result"];
            // The emulator has no long poll: the proxy asks again until something comes or the timeout is over.
            if (method == "getUpdates" && result is JsonArray { Count: 0 } && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
                continue;
            }
            return Answer(result is null ? true : Normalized(result.DeepClone()));
        }
    }

    private static IResult Answer(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    /// <summary>Dates in seconds, and what the real API always puts on a button press.</summary>
    private static JsonNode Normalized(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "date" && value is JsonValue v && v.TryGetValue<long>(out var date) && date > 100_000_000_000)
                        obj[key] = date / 1000;
                    else if (value is not null)
                        Normalized(value);
                }
                if (obj["callback_query"] is JsonObject callback)
                {
                    callback["chat_instance"] ??= "peer";
                    if (callback["message"] is JsonObject message)
                        message["date"] ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                        Normalized(item);
                }
                break;
        }
        return node;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.StopAsync();
        await _proxy.DisposeAsync();
        _http.Dispose();
        if (!_node.HasExited)
            _node.Kill(entireProcessTree: true);
        await _node.WaitForExitAsync();
        _node.Dispose();
    }
}
