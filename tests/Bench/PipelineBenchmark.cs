using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bench;

/// <summary>
/// Clients post through Direct Line over loopback HTTP to an engine in this process; latency runs from just
/// before the POST to the moment the bot's reply is committed (the engine's change feed reports it). With
/// <c>--channel telegram</c> they write to a Telegram bot instead (a Bot API in this process, long-polled by the
/// engine), and latency runs to the moment the reply reaches the chat (sendMessage); with <c>--channel viber</c> or
/// <c>--channel api</c> they post signed Viber callbacks or the app's calls, and latency runs to the moment the reply
/// reaches Viber's send API or the app's webhook; with <c>--channel botframework</c> they post signed Teams-style
/// activities to a Bot Framework channel, and latency runs to the moment the reply reaches a Connector in this process.
/// <c>--pace-ms</c> keeps a client's messages at least that far apart (Telegram allows a bot one message a second per chat).
/// </summary>
public sealed record BenchAccount(string Id);
public sealed record BenchChannelData([property: System.Text.Json.Serialization.JsonPropertyName("clientActivityID")] string ClientActivityId);
public sealed record BenchActivity(string Type, string Text, BenchAccount From, BenchChannelData ChannelData);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(BenchActivity))]
public sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;

public static class PipelineBenchmark
{
    private const string Secret = "bench-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = IntArg(args, "--seconds", 20);
        // Messages sent in the first seconds are not counted: they pay for JIT compilation and tiering, not the pipeline.
        var warmup = IntArg(args, "--warmup", 5);
        var clients = IntArg(args, "--clients", 16);
        var postgres = StringArg(args, "--postgres");
        var channel = StringArg(args, "--channel") ?? "directline";
        if (channel is not ("directline" or "telegram" or "viber" or "api" or "botframework"))
        {
            Console.Error.WriteLine($"--channel: '{channel}' is none of directline, telegram, viber, api, botframework.");
            return 2;
        }
        var pace = TimeSpan.FromMilliseconds(IntArg(args, "--pace-ms", 0));
        // the classifier's sentence encoder (Nlu:Encoder): English messages of the demo KB then run it on every turn
        var encoder = StringArg(args, "--encoder") ?? "none";
        // what the node's memory of conversations (KnownConversations) holds per conversation, measured after the run
        var measureMemory = args.Contains("--memory");
        var dataDir = Path.Combine(Path.GetTempPath(), "botengine-bench-" + Guid.NewGuid().ToString("N"));

        var engineArgs = new List<string> { "--urls", "http://127.0.0.1:0", "--directline-secret", Secret, "--Logging:LogLevel:Default=Warning", "--Bootstrap:AdminPassword=bench-admin-password" };
        // The flood guards would throttle the bench, not measure the pipeline: one address carries every client, and an
        // unpaced client answered in 10 ms writes 100 messages a second to its conversation (the default limit).
        engineArgs.AddRange(["--RateLimits:ConversationBurst=1000000", "--RateLimits:ConversationPerSecond=1000000",
            "--RateLimits:AddressBurst=1000000", "--RateLimits:AddressPerSecond=1000000"]);
        engineArgs.AddRange(postgres is null ? ["--data-dir", dataDir] : ["--postgres", postgres]);
        engineArgs.Add($"--Nlu:Encoder={encoder}");
        await using var app = BotApp.Build(engineArgs.ToArray());
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var phrasings = ConfidentPhrasings(app.Services.GetRequiredService<KnowledgeRuntime>());
        Console.Error.WriteLine($"engine on {baseUri} ({(postgres is null ? "SQLite" : "PostgreSQL")}), {channel}, {clients} clients, {warmup} s warm-up, {seconds} s measured, {phrasings.Count} phrasings, encoder {encoder}");
        await using var telegram = channel == "telegram" ? await BenchTelegramApi.StartAsync() : null;
        if (telegram is not null)
        {
            var settings = new JsonObject { ["token"] = BenchTelegramApi.Token, ["apiBaseUrl"] = telegram.BaseUrl };
            await app.Services.GetRequiredService<ChannelConfigurations>().SaveAsync("bench-bot", new ChannelRequest("telegram", settings, null, null, true), CancellationToken.None);
        }
        await using var messenger = channel is "viber" or "api" ? await BenchMessengerPeer.StartAsync() : null;
        if (messenger is not null)
            await app.Services.GetRequiredService<ChannelConfigurations>().SaveAsync("bench-" + channel, new ChannelRequest(channel, messenger.SettingsFor(channel), null, null, true), CancellationToken.None);
        await using var connector = channel == "botframework" ? await BenchConnector.StartAsync() : null;
        if (connector is not null)
            await app.Services.GetRequiredService<ChannelConfigurations>().SaveAsync("bench-bot", new ChannelRequest("botframework", connector.Settings, null, null, true), CancellationToken.None);

        var replies = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        TaskCompletionSource<long> Slot(string id) => replies.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var feed = app.Services.GetRequiredService<ChangeFeed>();
        using var subscription = feed.Subscribe(1_000_000);
        using var stop = new CancellationTokenSource();
        var listener = Task.Run(async () =>
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(stop.Token))
            {
                if (e is FeedEvent.MessageStored { Direction: "out", ReplyToId: { } replyTo })
                    Slot(replyTo).TrySetResult(Stopwatch.GetTimestamp());
            }
        });

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new ConcurrentBag<double>();
        var sent = 0;
        var lost = 0;
        var conversations = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var measuredFrom = TimeSpan.FromSeconds(warmup);
        var deadline = measuredFrom + TimeSpan.FromSeconds(seconds);
        var cpuAtStart = TimeSpan.Zero;
        var measuring = Task.Delay(measuredFrom).ContinueWith(_ => cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime, TaskScheduler.Default);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var conversation = channel == "directline" ? await StartConversationAsync(http) : default;
            if (conversation.Id is not null)
                conversations.Add(conversation.Id);
            var random = new Random(client);
            var user = $"bench-user-{client}";
            var started = 0L;
            while (clock.Elapsed < deadline)
            {
                var text = phrasings[random.Next(phrasings.Count)];
                if (started != 0 && pace - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } rest)
                    await Task.Delay(rest);
                var counted = clock.Elapsed >= measuredFrom;
                started = Stopwatch.GetTimestamp();
                // Each channel hands back the task that completes when the bot's reply to this message arrives.
                var reply = telegram is not null ? telegram.UserSends(10_000 + client, text)
                    : messenger is not null ? await MessengerSendsAsync(http, messenger, channel, user, text)
                    : connector is not null ? await connector.UserSendsAsync(http, "/channels/botframework/bench-bot/messages", client, text)
                    : Slot(await DirectLineSendsAsync(http, conversation, user, text)).Task;
                if (counted)
                    Interlocked.Increment(ref sent);
                if (await Task.WhenAny(reply, Task.Delay(TimeSpan.FromSeconds(10))) != reply)
                {
                    Interlocked.Increment(ref lost);
                    continue;
                }
                if (counted)
                    latencies.Add(Stopwatch.GetElapsedTime(started, reply.Result).TotalMilliseconds);
            }
        }));
        var elapsed = (clock.Elapsed - measuredFrom).TotalSeconds;
        await measuring;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        stop.Cancel();
        try
        {
            await listener;
        }
        catch (OperationCanceledException)
        {
        }
        var memory = measureMemory ? KnownMemory(app.Services.GetRequiredService<KnownConversations>(), conversations) : null;
        await app.StopAsync();
        if (postgres is null)
            TryDelete(dataDir);

        var sorted = latencies.Order().ToArray();
        var result = new
        {
            storage = postgres is null ? "sqlite" : "postgres",
            channel,
            clients,
            pace_ms = (int)pace.TotalMilliseconds,
            seconds = Math.Round(elapsed, 1),
            sent,
            replied = sorted.Length,
            msgs_per_s = Math.Round(sorted.Length / elapsed, 1),
            p50_ms = Math.Round(Percentile(sorted, 0.50), 2),
            p99_ms = Math.Round(Percentile(sorted, 0.99), 2),
            lost,
            warmup_s = warmup,
            // Engine and clients share this process: CPU milliseconds per reply of both together, and cores kept busy.
            cpu_ms_per_msg = sorted.Length == 0 ? 0 : Math.Round(cpu.TotalMilliseconds / sorted.Length, 3),
            cores_busy = Math.Round(cpu.TotalSeconds / elapsed, 2),
            known_conversations = memory?.Remembered,
            known_bytes_each = memory?.BytesEach,
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// How many of the conversations the node remembers with their dialog's row, and the managed heap they hold each:
    /// the heap after a full collection, before and after the node forgets them.
    /// </summary>
    private static (int Remembered, long BytesEach)? KnownMemory(KnownConversations known, IReadOnlyCollection<string> conversations)
    {
        var remembered = conversations.Count(id => known.Find(id)?.Dialog is not null);
        if (remembered == 0)
            return null;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var id in conversations)
            known.Forget(id);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        return (remembered, (before - after) / remembered);
    }

    /// <summary>Posts the client's message through Direct Line; answers the stored activity's id, which the bot's reply names.</summary>
    private static async Task<string> DirectLineSendsAsync(HttpClient http, (string Id, string Token) conversation, string user, string text)
    {
        // The client side is kept cheap (no reflection-based JSON) since it shares the two cores with the engine.
        var body = JsonSerializer.SerializeToUtf8Bytes(new BenchActivity("message", text, new BenchAccount(user), new BenchChannelData(Guid.NewGuid().ToString("N"))), BenchJson.Default.BenchActivity);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{conversation.Id}/activities")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var stored = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return stored.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Posts the client's message as the Viber or API channel does; answers the task of its reply's arrival.</summary>
    private static async Task<Task<long>> MessengerSendsAsync(HttpClient http, BenchMessengerPeer messenger, string channel, string user, string text)
    {
        var arrived = messenger.ExpectReply(user);
        using var inbound = messenger.Inbound(channel, "bench-" + channel, user, text);
        using var accepted = await http.SendAsync(inbound);
        accepted.EnsureSuccessStatusCode();
        return arrived;
    }

    /// <summary>
    /// KB phrasings with a lead-in the KB does not have, so every message goes through the classifier (an exact KB
    /// phrasing would skip it), kept where the bot answers with an article (not the operator one), so no dialog
    /// leaves the bot mid-run.
    /// </summary>
    private static List<string> ConfidentPhrasings(KnowledgeRuntime knowledge)
    {
        var kb = knowledge.Runner.Kb;
        return kb.Articles
            .Where(a => !a.Answers.Any(x => x.Text.TrimStart().StartsWith('/')) && a.Slots.Count == 0)
            .SelectMany(a => a.Questions.Select(q => (Article: a.Id, Text: (q.Any(ch => ch is >= 'а' and <= 'я') ? "Подскажите, " : "Please, ") + q)))
            .Where(p => knowledge.Classifier.Predict(p.Text, 1) is { IsOutOfScope: false, Best: { } best } && best.Intent == p.Article && best.Confidence >= 0.5)
            .Select(p => p.Text)
            .ToList();
    }

    private static async Task<(string Id, string Token)> StartConversationAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    public static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    public static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
    }
}
