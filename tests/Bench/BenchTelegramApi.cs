using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotEngine.Bench;

/// <summary>
/// The least of Telegram's Bot API a bench needs, in this process: long polling that hands out what the clients
/// wrote, and sendMessage that reports when the reply to a chat arrived. Its cost is the bench client's.
/// </summary>
public sealed class BenchTelegramApi : IAsyncDisposable
{
    public const string Token = "555000555:bench-token-for-the-telegram-mode";
    private readonly WebApplication _app;
    private readonly Channel<JsonObject> _updates = Channel.CreateUnbounded<JsonObject>();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _replies = new();
    private int _nextUpdate = 1;
    private int _nextMessage = 1;

    private BenchTelegramApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<BenchTelegramApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new BenchTelegramApi(app);
        app.MapPost("/bot{token}/{method}", (string method, HttpRequest request, CancellationToken ct) => api.HandleAsync(method, request, ct));
        await app.StartAsync();
        api.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return api;
    }

    /// <summary>Queues the client's message and returns the task that completes (with a timestamp) when the bot's reply reaches the chat.</summary>
    public Task<long> UserSends(long chat, string text)
    {
        var reply = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[chat] = reply;
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessage),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
            ["from"] = new JsonObject { ["id"] = chat, ["is_bot"] = false, ["first_name"] = "Bench" },
            ["text"] = text,
        };
        _updates.Writer.TryWrite(new JsonObject { ["update_id"] = Interlocked.Increment(ref _nextUpdate), ["message"] = message });
        return reply.Task;
    }

    private async Task<IResult> HandleAsync(string method, HttpRequest request, CancellationToken ct)
    {
        var args = request.ContentType?.Contains("json", StringComparison.Ordinal) == true ? await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: ct) ?? [] : [];
        switch (method)
        {
            case "getUpdates":
                var batch = new JsonArray();
                var timeout = TimeSpan.FromSeconds(args["timeout"]?.GetValue<int>() ?? 0);
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(timeout);
                    try
                    {
                        if (await _updates.Reader.WaitToReadAsync(wait.Token))
                        {
                            while (batch.Count < 100 && _updates.Reader.TryRead(out var update))
                                batch.Add(update);
                        }
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                    }
                }
                return Ok(batch);
            case "sendMessage":
                var chat = args["chat_id"]!.GetValue<long>();
                if (_replies.TryRemove(chat, out var reply))
                    reply.TrySetResult(Stopwatch.GetTimestamp());
                return Ok(new JsonObject
                {
                    ["message_id"] = Interlocked.Increment(ref _nextMessage),
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
                });
            default:
                return Ok(true);
        }
    }

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
