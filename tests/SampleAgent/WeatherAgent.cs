using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.Channels;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.Options;

namespace BotEngine.SampleAgent;

public sealed class WeatherAgentOptions
{
    /// <summary>The secret shared with the engine (the agent's <c>secret</c> in the knowledge base).</summary>
    public string Secret { get; set; } = "";
    /// <summary>How long the asynchronous endpoint "thinks" before it calls back.</summary>
    public TimeSpan CallbackDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>
/// A sample external agent: a weather service that needs the dialog's <c>region</c> slot. POST / answers
/// synchronously (200 with actions); POST /async answers 202 and calls the engine back later. Without a region
/// it asks for one (reply buttons) and keeps the dialog; "operator"/"оператор" hands off; otherwise it sends a
/// forecast with a link button and gives the dialog back to the bot (done). <c>dialogClosed</c> is acknowledged with no
/// actions. While <see cref="AgentOutage.Down"/> it answers every event 503, to try an engine's retries.
/// </summary>
public static class WeatherAgent
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--secret"] = "Agent:Secret" });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddOptions<WeatherAgentOptions>().BindConfiguration("Agent")
            .Validate(o => o.Secret.Length > 0, "--secret is required: the agent's shared secret").ValidateOnStart();
        builder.Services.AddSingleton<AgentJournal>();
        builder.Services.AddSingleton<AgentOutage>();
        builder.Services.AddSingleton(Channel.CreateUnbounded<PendingCallback>());
        builder.Services.AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        builder.Services.AddHostedService<CallbackSender>();

        var app = builder.Build();
        app.MapPost("/", (HttpRequest request, AgentJournal journal, AgentOutage outage, IOptions<WeatherAgentOptions> options, CancellationToken ct) =>
            HandleAsync(request, journal, outage, options.Value, null, ct));
        app.MapPost("/async", (HttpRequest request, AgentJournal journal, AgentOutage outage, IOptions<WeatherAgentOptions> options, Channel<PendingCallback> callbacks, CancellationToken ct) =>
            HandleAsync(request, journal, outage, options.Value, callbacks, ct));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, AgentJournal journal, AgentOutage outage, WeatherAgentOptions options,
        Channel<PendingCallback>? callbacks, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        // Verify the raw bytes before parsing anything.
        if (!AgentSignature.Verify(options.Secret, body, request.Headers[AgentSignature.HeaderName].FirstOrDefault()))
            return Results.Problem(statusCode: 401, detail: "bad signature");
        AgentEvent? agentEvent;
        try
        {
            agentEvent = System.Text.Json.JsonSerializer.Deserialize<AgentEvent>(body, AgentJson.Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Results.Problem(statusCode: 400, detail: e.Message);
        }
        if (agentEvent is null)
            return Results.Problem(statusCode: 400, detail: "empty event");
        journal.Attempted(agentEvent);
        if (outage.Down)
            return Results.Problem(statusCode: 503, detail: "the weather service is down");

        // Retries repeat the event id: answer a repeat the same way, without doing the work twice.
        var response = journal.Answers.GetOrAdd(agentEvent.EventId, _ => Decide(agentEvent));
        if (!journal.Record(agentEvent))
            return callbacks is null ? Results.Json(response, AgentJson.Options) : Results.Accepted();
        if (callbacks is null)
            return Results.Json(response, AgentJson.Options);
        if (agentEvent.Type == AgentEventTypes.DialogClosed)
            return Results.Accepted(); // nothing to say in a closed dialog
        if (agentEvent.CallbackUrl is null)
            return Results.Problem(statusCode: 400, detail: "callbackUrl is required for asynchronous answers");
        await callbacks.Writer.WriteAsync(new PendingCallback(agentEvent.CallbackUrl, agentEvent.EventId, response), ct);
        return Results.Accepted();
    }

    /// <summary>The agent's whole logic: pure, so it is easy to follow.</summary>
    public static AgentResponse Decide(AgentEvent e)
    {
        if (e.Type == AgentEventTypes.DialogClosed)
            return new AgentResponse(); // the dialog is over: a real agent would drop what it kept about it
        if (e.Type != AgentEventTypes.ReturnedFromOperator)
            return Answer(e);
        // Back from an operator: say so, then carry on where the weather question stands.
        var ru = !e.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var welcome = new AgentAction
        {
            Type = AgentActionTypes.Message,
            Text = ru ? "Снова с вами сервис погоды." : "The weather service is back with you.",
        };
        return new AgentResponse { Actions = [welcome, .. Answer(e).Actions] };
    }

    private static AgentResponse Answer(AgentEvent e)
    {
        var ru = !e.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var text = e.Message?.Text.Trim() ?? "";
        if (e.Type == AgentEventTypes.ClientMessage && text.ToLowerInvariant() is "operator" or "оператор")
        {
            return new AgentResponse
            {
                Actions =
                [
                    new AgentAction { Type = AgentActionTypes.Message, Text = ru ? "Передаю ваш вопрос о погоде оператору." : "Passing your weather question to an operator." },
                    new AgentAction { Type = AgentActionTypes.Handoff },
                ],
            };
        }

        var region = e.Slots.GetValueOrDefault("region")
            ?? (e.Type == AgentEventTypes.ClientMessage ? (e.Message?.Payload ?? (text.Length > 0 ? text : null)) : null);
        if (region is null)
        {
            return new AgentResponse
            {
                Actions =
                [
                    new AgentAction
                    {
                        Type = AgentActionTypes.Message,
                        Text = ru ? "Для какого региона показать погоду?" : "Which region should I show the weather for?",
                        Buttons =
                        [
                            new AgentButton { Label = ru ? "Москва" : "Moscow", Value = ru ? "Москва" : "Moscow" },
                            new AgentButton { Label = ru ? "Санкт-Петербург" : "Saint Petersburg", Value = ru ? "Санкт-Петербург" : "Saint Petersburg" },
                        ],
                    },
                ],
            };
        }

        // A made-up but stable forecast: the same region always gets the same weather.
        var seed = region.Aggregate(17, (h, c) => unchecked(h * 31 + c));
        var temperature = Math.Abs(seed % 35) - 10;
        return new AgentResponse
        {
            Actions =
            [
                new AgentAction
                {
                    Type = AgentActionTypes.Message,
                    Text = ru ? $"Погода для региона **{region}**: {temperature:+#;-#;0} °C, без осадков." : $"Weather for **{region}**: {temperature:+#;-#;0} °C, no precipitation.",
                    Buttons = [new AgentButton { Label = ru ? "Подробный прогноз" : "Detailed forecast", Url = $"https://weather.example/{Uri.EscapeDataString(region)}" }],
                },
                new AgentAction { Type = AgentActionTypes.Done, Slots = new Dictionary<string, string> { ["weather_region"] = region } },
            ],
        };
    }
}

/// <summary>What the agent has seen, for duplicate detection (and for tests to inspect).</summary>
public sealed class AgentJournal
{
    private readonly ConcurrentDictionary<string, AgentEvent> _events = new();

    public ConcurrentDictionary<string, AgentResponse> Answers { get; } = new();

    public IReadOnlyList<AgentEvent> Events => _events.Values.OrderBy(e => e.Timestamp).ToList();

    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _repeats = new();

    /// <summary>False when the event was seen before.</summary>
    public bool Record(AgentEvent agentEvent)
    {
        if (_events.TryAdd(agentEvent.EventId, agentEvent))
            return true;
        _repeats.AddOrUpdate(agentEvent.EventId, 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>Counts a delivery attempt of the event, taken or not.</summary>
    public void Attempted(AgentEvent agentEvent) => _attempts.AddOrUpdate(agentEvent.EventId, 1, (_, n) => n + 1);

    /// <summary>How many times the event was posted, failed attempts included.</summary>
    public int AttemptsOf(string eventId) => _attempts.GetValueOrDefault(eventId);

    /// <summary>How many times the event came again after it was taken (a duplicate delivery).</summary>
    public int RepeatsOf(string eventId) => _repeats.GetValueOrDefault(eventId);

    /// <summary>Events posted at least once, taken or not.</summary>
    public IReadOnlyCollection<string> AttemptedIds => [.. _attempts.Keys];
}

public sealed record PendingCallback(string Url, string CallbackId, AgentResponse Response);

/// <summary>Posts asynchronous answers to the engine's callback URL, signed, with a few retries.</summary>
public sealed class CallbackSender(Channel<PendingCallback> queue, HttpClient http, IOptions<WeatherAgentOptions> options, ILogger<CallbackSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var callback in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await Task.Delay(options.Value.CallbackDelay, stoppingToken);
                await SendAsync(callback, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(PendingCallback callback, CancellationToken ct)
    {
        var body = AgentJson.Serialize(callback.Response);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(AgentSignature.HeaderName, AgentSignature.Sign(options.Value.Secret, body));
                // The engine applies a callback id once, so a retry after a lost response is safe.
                request.Headers.Add("X-BotEngine-Callback-Id", callback.CallbackId);
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode || (int)response.StatusCode is >= 400 and < 500)
                {
                    if (!response.IsSuccessStatusCode)
                        logger.LogWarning("The engine refused callback {CallbackId}: HTTP {Status}", callback.CallbackId, (int)response.StatusCode);
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning(e, "Callback {CallbackId} failed (attempt {Attempt})", callback.CallbackId, attempt);
            }
            await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
        }
    }
}
