using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Issue 11's acceptance fuzz: a bounded, seeded run of a few thousand hostile requests across Direct Line and every
/// /api/v1 route in the OpenAPI document (mutated JSON, wrong types, huge and deep values, invalid UTF-8, duplicate
/// keys, wrong methods and paths, with and without credentials). No answer may be a 5xx, the process stays under
/// 1 GB, and a normal client is answered afterwards.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class FuzzTests
{
    private const int Requests = 3000;
    private const int Workers = 6;
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    private static readonly string[] ActivitySeeds =
    [
        """{"type":"message","text":"Как заблокировать карту?","locale":"ru-RU","from":{"id":"u","name":"Клиент"},"channelData":{"clientActivityID":"c1","postBack":true},"value":{"article":"card_block"},"attachments":[{"contentType":"text/plain","content":"x","name":"a.txt"}]}""",
        """{"type":"event","name":"webchat/join","value":{"language":"en"},"from":{"id":"u"}}""",
        """{"type":"message","text":"Позовите оператора","suggestedActions":{"actions":[{"type":"imBack","title":"t","value":"v"}]},"entities":[{"type":"ClientCapabilities"}]}""",
    ];

    private static readonly string[] ApiSeeds =
    [
        """{"text":"Как заблокировать карту?"}""",
        """{"login":"admin","password":"wrong-password"}""",
        """{"status":"online"}""",
        """{"articles":[{"id":"fz_a","title":"Fuzz","questions":["вопрос"],"answers":[{"text":"ответ","buttons":[{"title":"b","article":"fz_a"}]}]}],"slots":[{"id":"fz_s","name":"s","type":"text"}]}""",
        """{"callCentre":"default","line":"cards","skills":["a"]}""",
        """{"operatorId":"x","note":"n","toBot":true,"line":"l"}""",
        """{"login":"fuzzer","password":"password-123","displayName":"F","permissions":["view_kb"],"maxDialogs":3}""",
        """{"topic":"t","clientDissatisfied":true}""",
        """{"id":"fz_t","title":"Topic","timers":{"operatorResponseTimeout":"00:01:00"},"overflow":{"after":"00:00:03","line":"general"}}""",
        """{"type":"message","text":"ok","handoff":{"line":"x"},"slots":{"a":"b"}}""",
    ];

    [Fact]
    public async Task Thousands_of_hostile_requests_get_no_5xx_and_the_engine_keeps_answering()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        var adminToken = await engine.OperatorTokenAsync();
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var dialogs = await Seed(engine, chat, adminToken);
        var routes = await ApiRoutesAsync(engine);
        Assert.True(routes.Count > 30, $"only {routes.Count} routes in the OpenAPI document");
        routes.AddRange(DirectLineRoutes);

        var failures = new List<string>();
        // The engine runs in this process, next to whatever earlier tests left: what counts is what the fuzz adds.
        // Earlier tests' garbage is collected first, so the heap baseline is what is live now.
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        long baseline;
        using (var before = Process.GetCurrentProcess())
            baseline = before.WorkingSet64;
        var peak = baseline;
        var peakHeap = baselineHeap;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                // The heap as the last collection left it: what the engine holds on to, not the young garbage a
                // server GC lets pile up between collections (which grows with the whole process's heap).
                var info = GC.GetGCMemoryInfo();
                peakHeap = Math.Max(peakHeap, info.HeapSizeBytes - info.FragmentedBytes);
                try
                {
                    await Task.Delay(100, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var clock = Stopwatch.StartNew();
        var counts = new int[6];
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            var random = new Random(1100 + worker);
            using var http = new HttpClient { BaseAddress = engine.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            for (var i = worker; i < Requests; i += Workers)
            {
                var (description, request) = NextRequest(random, routes, engine, chat, adminToken, dialogs);
                using (request)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    }
                    catch (HttpRequestException) when (description.Contains(" huge ", StringComparison.Ordinal))
                    {
                        continue; // the engine refused a huge body before reading it and closed the connection: not a 5xx
                    }
                    catch (HttpRequestException ex)
                    {
                        lock (failures)
                            failures.Add($"no answer ({ex.InnerException?.Message ?? ex.Message}) {description}");
                        continue;
                    }
                    using (response)
                    {
                        var status = (int)response.StatusCode;
                        Interlocked.Increment(ref counts[Math.Clamp(status / 100, 0, 5)]);
                        if (status >= 500)
                        {
                            var body = await response.Content.ReadAsStringAsync();
                            lock (failures)
                                failures.Add($"{status} {description}: {body[..Math.Min(300, body.Length)]}");
                        }
                    }
                }
            }
        }));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await sampler;

        Assert.True(failures.Count == 0, $"{failures.Count} answers were 5xx:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(peak - baseline < 1L << 30, $"the process grew by {(peak - baseline) / (1 << 20)} MB (from {baseline / (1 << 20)} MB)");
        Assert.True(peakHeap - baselineHeap < 1L << 30, $"the managed heap grew by {(peakHeap - baselineHeap) / (1 << 20)} MB (from {baselineHeap / (1 << 20)} MB)");
        Assert.True(counts[2] > 100 && counts[4] > 1000, $"2xx {counts[2]}, 4xx {counts[4]}: the fuzz did not reach the endpoints");

        // A normal client is still answered.
        using var normal = await DirectLineClient.StartAsync(engine.BaseUri);
        var sent = await normal.SendAsync("Как заблокировать карту?");
        await normal.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == sent, TimeSpan.FromSeconds(30));
        Assert.True(elapsed < TimeSpan.FromSeconds(50), $"the fuzz ran {elapsed.TotalSeconds:0} s");
    }

    private sealed record Route(string Method, string Template, bool DirectLine);

    private static readonly Route[] DirectLineRoutes =
    [
        new("POST", "/v3/directline/tokens/generate", true),
        new("POST", "/v3/directline/tokens/refresh", true),
        new("POST", "/v3/directline/conversations", true),
        new("GET", "/v3/directline/conversations/{conversationId}", true),
        new("GET", "/v3/directline/conversations/{conversationId}/activities", true),
        new("POST", "/v3/directline/conversations/{conversationId}/activities", true),
        new("POST", "/v3/directline/conversations/{conversationId}/activities", true),
        new("POST", "/v3/directline/conversations/{conversationId}/activities", true),
        new("POST", "/v3/directline/conversations/{conversationId}/upload", true),
        new("GET", "/v3/directline/conversations/{conversationId}/stream", true),
        new("POST", "/webchat/token", true),
    ];

    /// <summary>
    /// Routes that end the fuzzer's own sessions (sign-out, password changes, disabling) would turn the rest of the
    /// run into 401s; LoginSecurityTests and the authorisation matrix cover them.
    /// </summary>
    private static bool EndsSessions(string path) =>
        path.EndsWith("/auth/logout", StringComparison.Ordinal) || path.EndsWith("/password", StringComparison.Ordinal)
        || path.EndsWith("/disable", StringComparison.Ordinal);

    private static async Task<List<Route>> ApiRoutesAsync(EngineHost engine)
    {
        var document = (await engine.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var routes = new List<Route>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, _) in item!.AsObject())
                if (!EndsSessions(path))
                    routes.Add(new Route(method.ToUpperInvariant(), path, false));
        return routes;
    }

    /// <summary>A dialog and a few ids the fuzz can aim at, so paths with ids reach real rows too.</summary>
    private static async Task<List<string>> Seed(EngineHost engine, DirectLineClient chat, string adminToken)
    {
        var sent = await chat.SendAsync("Позовите оператора");
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == sent);
        using var admin = engine.OperatorClient(adminToken);
        var dialogs = await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.Count > 0
            ? (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.Select(d => d!["id"]!.GetValue<string>()).ToList()
            : null);
        return dialogs;
    }

    private static (string Description, HttpRequestMessage Request) NextRequest(Random random, List<Route> routes, EngineHost engine,
        DirectLineClient chat, string adminToken, List<string> dialogs)
    {
        var route = routes[random.Next(routes.Count)];
        var method = random.Next(10) == 0 ? Methods[random.Next(Methods.Length)] : route.Method;
        var path = FillPath(random, route.Template, chat.ConversationId, dialogs);
        if (random.Next(25) == 0)
            path = route.Template.Split('{')[0] + Uri.EscapeDataString(Garbage(random, 12)) + (random.Next(2) == 0 ? "/../x" : "/%2e%2e/%00");
        if (route.Template.EndsWith("/activities", StringComparison.Ordinal) && method == "GET" && random.Next(3) == 0)
            path += "?watermark=" + Uri.EscapeDataString(random.Next(3) switch { 0 => "-1", 1 => "99999999999999999999", _ => Garbage(random, 8) });
        var request = new HttpRequestMessage(new HttpMethod(method), path);

        switch (random.Next(6))
        {
            case 0:
                break; // no credentials
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Uri.EscapeDataString(Garbage(random, 40)));
                break;
            case 2:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
                break;
            case 3:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                break;
        }

        var description = $"{method} {path}";
        if (method is "GET" or "DELETE" && random.Next(4) != 0)
            return (description, request);
        if (route.Template.EndsWith("/upload", StringComparison.Ordinal) && random.Next(2) == 0)
        {
            var form = new MultipartFormDataContent();
            var activity = new ByteArrayContent(Mutate(random, ActivitySeeds[random.Next(ActivitySeeds.Length)], out var how));
            activity.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.microsoft.activity");
            form.Add(activity, "activity", "blob");
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Garbage(random, 30))), "file", random.Next(3) == 0 ? " .txt" : "f.txt");
            request.Content = form;
            return (description + " multipart " + how, request);
        }
        var seeds = route.DirectLine ? ActivitySeeds : ApiSeeds;
        var body = Mutate(random, seeds[random.Next(seeds.Length)], out var mutation);
        request.Content = new ByteArrayContent(body);
        var contentType = random.Next(8) switch
        {
            0 => null,
            1 => "text/plain",
            2 => "application/x-www-form-urlencoded",
            3 => "multipart/form-data; boundary=zz",
            _ => "application/json",
        };
        if (contentType is not null)
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return ($"{description} [{contentType}] {mutation} {Preview(body)}", request);
    }

    private static string FillPath(Random random, string template, string conversationId, List<string> dialogs)
    {
        var builder = new StringBuilder();
        var rest = template;
        while (rest.IndexOf('{') is var open and >= 0)
        {
            var close = rest.IndexOf('}', open);
            var name = rest[(open + 1)..close];
            builder.Append(rest[..open]);
            builder.Append(random.Next(4) switch
            {
                0 => Uri.EscapeDataString(Garbage(random, random.Next(1, 300))),
                1 when name == "conversationId" => conversationId,
                1 when name.Contains("ialog", StringComparison.Ordinal) || name == "id" => dialogs[random.Next(dialogs.Count)],
                2 => "admin",
                _ => random.Next(3) switch { 0 => "default", 1 => "directline", _ => "card_block" },
            });
            rest = rest[(close + 1)..];
        }
        return builder.Append(rest).ToString();
    }

    private static byte[] Mutate(Random random, string seed, out string how)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        switch (random.Next(11))
        {
            case 0:
                how = "seed";
                return bytes;
            case 1:
            {
                how = "duplicate key";
                var at = RandomIndexOf(random, bytes, (byte)'{');
                var key = random.Next(3) switch { 0 => "text", 1 => "clientActivityID", _ => "article" };
                return [.. bytes[..(at + 1)], .. Encoding.UTF8.GetBytes($"\"{key}\":1,\"{key.ToUpperInvariant()}\":\"x\","), .. bytes[(at + 1)..]];
            }
            case 2:
            case 3:
            {
                how = "wrong type";
                var root = JsonNode.Parse(seed)!;
                var slots = new List<(JsonNode Parent, object Key)>();
                Collect(root, slots);
                var (parent, key) = slots[random.Next(slots.Count)];
                var value = WrongValue(random);
                if (key is string property)
                    parent.AsObject()[property] = value;
                else
                    parent.AsArray()[(int)key] = value;
                return Encoding.UTF8.GetBytes(root.ToJsonString());
            }
            case 4:
            {
                how = "invalid UTF-8";
                var at = RandomIndexOf(random, bytes, (byte)'"');
                byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
                return [.. bytes[..(at + 1)], .. bad[random.Next(bad.Length)], .. bytes[(at + 1)..]];
            }
            case 5:
            {
                how = "lone surrogate";
                var at = RandomIndexOf(random, bytes, (byte)'"');
                return [.. bytes[..(at + 1)], .. Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "\\uD800" : "\\uDFFF\\u0000"), .. bytes[(at + 1)..]];
            }
            case 6:
                how = "truncated";
                return bytes[..random.Next(bytes.Length)];
            case 7:
            {
                how = "flipped bytes";
                var copy = (byte[])bytes.Clone();
                for (var i = random.Next(1, 6); i > 0; i--)
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            }
            case 8:
                how = "deep";
                return Encoding.UTF8.GetBytes("{\"text\":\"x\",\"value\":" + new string('[', 3000) + new string(']', 3000) + "}");
            case 9:
                how = "huge";
                return Encoding.UTF8.GetBytes("{\"type\":\"message\",\"text\":\"" + new string('ж', random.Next(2) == 0 ? 40_000 : 1_200_000) + "\"}");
            default:
            {
                how = "garbage";
                var garbage = new byte[random.Next(1, 400)];
                random.NextBytes(garbage);
                return garbage;
            }
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                slots.Add((obj, key));
                if (child is not null)
                    Collect(child, slots);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                slots.Add((array, i));
                if (array[i] is { } child)
                    Collect(child, slots);
            }
        }
    }

    private static JsonNode? WrongValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0 ? long.MaxValue : -1),
        2 => JsonValue.Create(1e308),
        3 => JsonValue.Create(true),
        4 => new JsonArray(null, 1, "x"),
        5 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray() } },
        6 => JsonValue.Create(new string('x', random.Next(1000, 5000))),
        7 => JsonValue.Create("🙂\u0000\u202e<script>"),
        _ => JsonValue.Create(""),
    };

    private static int RandomIndexOf(Random random, byte[] bytes, byte b)
    {
        var positions = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == b).ToList();
        return positions.Count == 0 ? 0 : positions[random.Next(positions.Count)];
    }

    private static string Garbage(Random random, int length)
    {
        const string alphabet = "abcXYZ019-_.~%/\\'\"<>{}[]ёЖ \t";
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        return builder.ToString();
    }

    private static string Preview(byte[] body) =>
        body.Length <= 160 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body, 0, 160) + $"... ({body.Length} bytes)";
}
