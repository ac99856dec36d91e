using System.Collections.Concurrent;
using System.Text.Json;
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
/// A Telegram Bot API on a loopback port, written from Telegram's documentation (core.telegram.org/bots/api): long
/// polling with offsets, messages, photos and documents by multipart upload, callback answers, file downloads, the
/// webhook calls, error answers in the API's shape (429 with retry_after). Tests act as the user through it.
/// </summary>
public sealed class FakeTelegramApi : IAsyncDisposable
{
    public const string Token = "123456789:test-token-for-the-fake-api";
    private readonly WebApplication _app;
    private readonly List<JsonObject> _updates = [];
    private readonly ConcurrentQueue<(int Status, int RetryAfter)> _failures = new();
    private int _sendsBeforeFailure;
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextUpdate = 1;
    private int _polling;
    private int _maxPolling;
    private int _nextMessage = 1000;

    private FakeTelegramApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Everything the bot sent, in order: method, chat, text, keyboard, uploaded file.</summary>
    public ConcurrentQueue<SentToTelegram> Sent { get; } = new();

    public string? WebhookUrl { get; private set; }

    /// <summary>The most getUpdates calls that were in progress at once (Telegram answers a second concurrent one 409).</summary>
    public int MaxConcurrentPolls => Volatile.Read(ref _maxPolling);

    public static async Task<FakeTelegramApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTelegramApi(app);
        app.MapPost("/bot{token}/{method}", (string token, string method, HttpRequest request, CancellationToken ct) => fake.HandleAsync(token, method, request, ct));
        app.MapGet("/file/bot{token}/{**path}", (string token, string path) =>
            token == Token && fake.FileContent(path) is { } bytes ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>
    /// The next <paramref name="count"/> send calls (after <paramref name="afterSuccesses"/> that succeed) fail: 429 with
    /// retry_after = <paramref name="retryAfterSeconds"/>, or another status.
    /// </summary>
    public void FailNextSends(int count, int status, int retryAfterSeconds = 0, int afterSuccesses = 0)
    {
        _sendsBeforeFailure = afterSuccesses;
        for (var i = 0; i < count; i++)
            _failures.Enqueue((status, retryAfterSeconds));
    }

    public JsonObject UserSends(long chatId, string? text = null, JsonObject? extra = null)
    {
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessage),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Иван" },
            ["from"] = User(chatId),
        };
        if (text is not null)
            message["text"] = text;
        foreach (var (key, value) in extra ?? [])
            message[key] = value?.DeepClone();
        return AddUpdate(new JsonObject { ["message"] = message });
    }

    /// <summary>
    /// A member of a group chat writes in it. The entities are found as Telegram's server finds them (mentions, a
    /// leading command); <paramref name="replyToBotMessage"/> makes it a reply to one of the bot's messages.
    /// </summary>
    public JsonObject MemberSends(long groupId, long userId, string firstName, string text, int? replyToBotMessage = null)
    {
        var entities = new JsonArray();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(?<=^|\s)@\w+"))
            entities.Add(new JsonObject { ["type"] = "mention", ["offset"] = m.Index, ["length"] = m.Length });
        if (System.Text.RegularExpressions.Regex.Match(text, @"^/\w+(@\w+)?") is { Success: true } command)
            entities.Add(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = command.Length });
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessage),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = groupId, ["type"] = "supergroup", ["title"] = "Клуб клиентов" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = firstName, ["language_code"] = "ru" },
            ["text"] = text,
        };
        if (entities.Count > 0)
            message["entities"] = entities;
        if (replyToBotMessage is { } replied)
        {
            message["reply_to_message"] = new JsonObject
            {
                ["message_id"] = replied,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = groupId, ["type"] = "supergroup", ["title"] = "Клуб клиентов" },
                ["from"] = new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "Test bot", ["username"] = "test_bot" },
                ["text"] = "…",
            };
        }
        return AddUpdate(new JsonObject { ["message"] = message });
    }

    public JsonObject UserSendsPhoto(long chatId, byte[] jpeg, string? caption = null)
    {
        var fileId = "photo-" + Guid.NewGuid().ToString("N");
        lock (_gate)
            _files[fileId] = jpeg;
        var photo = new JsonArray(
            new JsonObject { ["file_id"] = fileId + "-small", ["file_unique_id"] = "s" + fileId, ["width"] = 90, ["height"] = 90, ["file_size"] = 10 },
            new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["width"] = 800, ["height"] = 600, ["file_size"] = jpeg.Length });
        return UserSends(chatId, null, new JsonObject { ["photo"] = photo, ["caption"] = caption });
    }

    public JsonObject UserPresses(long chatId, int messageId, string data) => AddUpdate(new JsonObject
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["from"] = User(chatId),
            ["chat_instance"] = "ci-" + chatId,
            ["data"] = data,
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
                ["text"] = "…",
            },
        },
    });

    public async Task<SentToTelegram> WaitForSentAsync(Func<SentToTelegram, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Sent.FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Nothing matching was sent to Telegram. Sent: {string.Join(" | ", Sent.Select(s => $"{s.Method} {s.ChatId} {s.Text}"))}");
    }

    private static JsonObject User(long id) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = "Иван", ["last_name"] = "Петров", ["language_code"] = "ru" };

    private JsonObject AddUpdate(JsonObject update)
    {
        lock (_gate)
        {
            update["update_id"] = _nextUpdate++;
            _updates.Add(update);
            _updated.TrySetResult();
            _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return update;
    }

    private byte[]? FileContent(string path)
    {
        lock (_gate)
            return _files.GetValueOrDefault(path.Replace("photos/", ""));
    }

    private async Task<IResult> HandleAsync(string token, string method, HttpRequest request, CancellationToken ct)
    {
        if (token != Token)
            return Error(401, "Unauthorized");
        var args = await ReadArgumentsAsync(request, ct);
        switch (method)
        {
            case "getMe":
                return Ok(new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "Test bot", ["username"] = "test_bot" });
            case "deleteWebhook":
                WebhookUrl = null;
                return Ok(true);
            case "setWebhook":
                WebhookUrl = args.Text("url");
                return Ok(true);
            case "getUpdates":
                var polling = Interlocked.Increment(ref _polling);
                try
                {
                    for (var max = _maxPolling; polling > max; max = _maxPolling)
                        Interlocked.CompareExchange(ref _maxPolling, polling, max);
                    return Ok(await UpdatesAsync(args, ct));
                }
                finally
                {
                    Interlocked.Decrement(ref _polling);
                }
            case "answerCallbackQuery":
            case "sendChatAction":
                Sent.Enqueue(new SentToTelegram(method, args.Long("chat_id"), null, null, null, null));
                return Ok(true);
            case "getFile":
                var fileId = args.Text("file_id") ?? "";
                var size = FileContent(fileId)?.Length;
                return size is null ? Error(400, "Bad Request: invalid file_id")
                    : Ok(new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = size, ["file_path"] = "photos/" + fileId });
            case "sendMessage":
            case "sendPhoto":
            case "sendDocument":
                if (Interlocked.Decrement(ref _sendsBeforeFailure) < 0 && _failures.TryDequeue(out var failure))
                    return failure.Status == 429
                        ? Error(429, $"Too Many Requests: retry after {failure.RetryAfter}", failure.RetryAfter)
                        : Error(failure.Status, "Internal Server Error: the fake is down");
                var messageId = Interlocked.Increment(ref _nextMessage);
                var chat = args.Long("chat_id") ?? 0;
                Sent.Enqueue(new SentToTelegram(method, chat, args.Text("text"), args.Text("parse_mode"), args.Json("reply_markup"), args.File) { MessageId = messageId });
                var result = new JsonObject
                {
                    ["message_id"] = messageId,
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = chat, ["type"] = chat < 0 ? "supergroup" : "private" },
                    ["from"] = new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "Test bot" },
                };
                if (args.Text("text") is { } text)
                    result["text"] = text;
                return Ok(result);
            default:
                return Error(404, $"Not Found: method {method} is not in this fake");
        }
    }

    private async Task<JsonArray> UpdatesAsync(Arguments args, CancellationToken ct)
    {
        var offset = (int)(args.Long("offset") ?? 0);
        var timeout = TimeSpan.FromSeconds(args.Long("timeout") ?? 0);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task updated;
            lock (_gate)
            {
                // Per the API: asking with an offset confirms (forgets) every update before it.
                _updates.RemoveAll(u => (int)u["update_id"]! < offset);
                if (_updates.Count > 0)
                    return new JsonArray(_updates.Take(100).Select(u => (JsonNode)u.DeepClone()).ToArray());
                updated = _updated.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return [];
            await Task.WhenAny(updated, Task.Delay(left, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    private static IResult Error(int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        return Results.Json(body, statusCode: code);
    }

    private static async Task<Arguments> ReadArgumentsAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new JsonObject();
        UploadedFile? file = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, value) in form)
                values[key] = value.ToString();
            if (form.Files.FirstOrDefault() is { } upload)
            {
                using var content = new MemoryStream();
                await upload.CopyToAsync(content, ct);
                file = new UploadedFile(upload.Name, upload.FileName, content.ToArray());
            }
        }
        else if (request.ContentLength is > 0 || request.ContentType?.Contains("json") == true)
        {
            values = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: ct) ?? [];
        }
        return new Arguments(values, file);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Arguments(JsonObject Values, UploadedFile? File)
    {
        public string? Text(string name) => Values[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            var other => other.ToJsonString(),
        };

        public long? Long(string name) => Values[name] switch
        {
            JsonValue v when v.TryGetValue<long>(out var l) => l,
            JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var parsed) => parsed,
            _ => null,
        };

        public JsonObject? Json(string name) => Values[name] switch
        {
            JsonObject o => o,
            JsonValue v when v.TryGetValue<string>(out var s) => JsonNode.Parse(s) as JsonObject,
            _ => null,
        };
    }
}

public sealed record UploadedFile(string Field, string? FileName, byte[] Content);

public sealed record SentToTelegram(string Method, long? ChatId, string? Text, string? ParseMode, JsonObject? ReplyMarkup, UploadedFile? File)
{
    public int MessageId { get; init; }

    /// <summary>The inline keyboard's buttons, row by row flattened: (label, callback data or null, url or null).</summary>
    public IReadOnlyList<(string Text, string? Data, string? Url)> Buttons =>
        ReplyMarkup?["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())
                .Select(b => (b["text"]!.GetValue<string>(), b["callback_data"]?.GetValue<string>(), b["url"]?.GetValue<string>())).ToList()
            : [];
}
