using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot;
using BotEngine.Engine.Pipeline;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bench;

/// <summary>
/// Bot reply latency while wrong sign-ins flood <c>POST /api/v1/auth/token</c>: a quiet phase, then the same bot
/// traffic with the flood. The flood can come from several loopback source addresses (127.0.0.2, .3, ...) to
/// stand for many clients; arguments after <c>--</c> go to the engine (e.g. throttle settings).
/// </summary>
public static class LoginFloodBenchmark
{
    private const string Secret = "bench-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var split = Array.IndexOf(args, "--");
        var own = split < 0 ? args : args[..split];
        var extra = split < 0 ? [] : args[(split + 1)..];
        var seconds = PipelineBenchmark.IntArg(own, "--seconds", 10);
        var flooders = PipelineBenchmark.IntArg(own, "--flooders", 32);
        var clients = PipelineBenchmark.IntArg(own, "--clients", 4);
        var addresses = PipelineBenchmark.IntArg(own, "--addresses", 1);
        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-bench-" + Guid.NewGuid().ToString("N"));

        string[] engineArgs = ["--urls", "http://127.0.0.1:0", "--directline-secret", Secret, "--Logging:LogLevel:Default=Warning",
            "--Bootstrap:AdminPassword=bench-admin-password", "--data-dir", dataDir, .. extra];
        await using var app = BotApp.Build(engineArgs);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var replies = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        TaskCompletionSource<long> Slot(string id) => replies.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        using var subscription = app.Services.GetRequiredService<ChangeFeed>().Subscribe(1_000_000);
        using var stop = new CancellationTokenSource();
        var listener = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in subscription.Reader.ReadAllAsync(stop.Token))
                {
                    if (e is FeedEvent.MessageStored { Direction: "out", ReplyToId: { } replyTo })
                        Slot(replyTo).TrySetResult(Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var conversations = new List<(string Id, string Token)>();
        for (var i = 0; i < clients; i++)
            conversations.Add(await StartConversationAsync(http));

        Console.Error.WriteLine($"engine on {baseUri}; quiet phase {seconds} s, {clients} bot clients");
        var quiet = await BotTrafficAsync(http, conversations, Slot, TimeSpan.FromSeconds(seconds), default);

        Console.Error.WriteLine($"flood phase {seconds} s, {flooders} flooders from {addresses} address(es)");
        var statuses = new ConcurrentDictionary<int, int>();
        using var floodStop = new CancellationTokenSource();
        var flood = Enumerable.Range(0, flooders).Select(i => FloodAsync(baseUri, i, addresses, statuses, floodStop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        var loaded = await BotTrafficAsync(http, conversations, Slot, TimeSpan.FromSeconds(seconds), default);
        var floodSeconds = clock.Elapsed.TotalSeconds;
        await floodStop.CancelAsync();
        await Task.WhenAll(flood);

        stop.Cancel();
        await listener;
        await app.StopAsync();
        try
        {
            Directory.Delete(dataDir, true);
        }
        catch (IOException)
        {
        }

        var result = new
        {
            flooders,
            addresses,
            engine_args = string.Join(' ', extra),
            quiet = Summary(quiet),
            flood = Summary(loaded),
            flood_requests_per_s = Math.Round(statuses.Values.Sum() / floodSeconds, 1),
            flood_statuses = statuses.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>Each bot client sends, waits for the committed reply, pauses 50 ms; latencies in ms.</summary>
    private static async Task<List<double>> BotTrafficAsync(HttpClient http, List<(string Id, string Token)> conversations,
        Func<string, TaskCompletionSource<long>> slot, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(conversations.Select(async (conversation, index) =>
        {
            var n = 0;
            while (clock.Elapsed < duration)
            {
                var activity = new JsonObject
                {
                    ["type"] = "message",
                    ["text"] = n++ % 2 == 0 ? "Подскажите, как заблокировать карту?" : "Please, how do I block my card?",
                    ["from"] = new JsonObject { ["id"] = $"flood-bench-user-{index}" },
                    ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
                };
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{conversation.Id}/activities")
                {
                    Content = JsonContent.Create(activity),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
                using var response = await http.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
                var reply = slot(id).Task;
                if (await Task.WhenAny(reply, Task.Delay(TimeSpan.FromSeconds(30), ct)) == reply)
                    latencies.Add(Stopwatch.GetElapsedTime(started, reply.Result).TotalMilliseconds);
                await Task.Delay(50, ct);
            }
        }));
        return [.. latencies];
    }

    /// <summary>Wrong passwords as fast as answers come: the admin's login and made-up ones, from 127.0.0.(2 + n % addresses).</summary>
    private static async Task FloodAsync(Uri baseUri, int index, int addresses, ConcurrentDictionary<int, int> statuses, CancellationToken ct)
    {
        var source = IPAddress.Parse($"127.0.0.{2 + (index % Math.Clamp(addresses, 1, 250))}");
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var n = 0;
        while (!ct.IsCancellationRequested)
        {
            var login = n++ % 2 == 0 ? "admin" : $"guess-{index}-{n}";
            try
            {
                using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { login, password = "wrong-" + n }, ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, v) => v + 1);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (HttpRequestException)
            {
                statuses.AddOrUpdate(0, 1, (_, v) => v + 1);
            }
        }
    }

    private static object Summary(List<double> latencies)
    {
        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)], 1);
        return new { replies = sorted.Length, p50_ms = P(0.5), p99_ms = P(0.99), max_ms = sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 1) };
    }

    private static async Task<(string Id, string Token)> StartConversationAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }
}
