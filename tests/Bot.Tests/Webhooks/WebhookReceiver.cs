using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Bot.Tests.Webhooks;

/// <summary>
/// A local HTTP receiver for webhook tests on a loopback port. Under <c>/flaky</c> it refuses the first attempt of
/// every event (500) and accepts the next; under <c>/down</c> it refuses everything until <see cref="DownRecovers"/>
/// is set. Every request is recorded with whether its signature checked out against the secret given for the path.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public ConcurrentQueue<Received> Requests { get; } = new();
    public ConcurrentDictionary<string, string> Secrets { get; } = new();
    public volatile bool DownRecovers;
    public string BaseUrl { get; private set; } = "";

    public sealed record Received(string Path, string EventId, string EventType, string? DialogId, DateTimeOffset At, bool SignatureValid,
        long SignedAt, bool Accepted, JsonObject Body);

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // a peer of the test, not the engine under test: its request log would only bury the test results in the output
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{path}", receiver.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        receiver.BaseUrl = app.Urls.First();
        return receiver;
    }

    private async Task<IResult> HandleAsync(string path, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        var header = request.Headers["X-BotEngine-Signature"].ToString();
        var (valid, signedAt) = Check(Secrets.GetValueOrDefault(path) ?? "", header, body);
        var eventId = request.Headers["X-BotEngine-Event-Id"].ToString();
        var attempt = _attempts.AddOrUpdate(path + "|" + eventId, 1, (_, n) => n + 1);
        var accept = path switch
        {
            "flaky" => attempt > 1,
            "down" => DownRecovers,
            _ => true,
        };
        Requests.Enqueue(new Received(path, eventId, json["type"]!.GetValue<string>(), json["dialogId"]?.GetValue<string>(),
            DateTimeOffset.Parse(json["at"]!.GetValue<string>(), CultureInfo.InvariantCulture), valid, signedAt, accept, json));
        return accept ? Results.Ok() : Results.StatusCode(500);
    }

    /// <summary>Checks <c>t=..,v1=..</c> the way a receiver would: HMAC-SHA256 of "t.body" under the secret.</summary>
    private static (bool Valid, long SignedAt) Check(string secret, string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, CultureInfo.InvariantCulture, out var signedAt))
            return (false, 0);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        try
        {
            return (CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1)), signedAt);
        }
        catch (FormatException)
        {
            return (false, signedAt);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
