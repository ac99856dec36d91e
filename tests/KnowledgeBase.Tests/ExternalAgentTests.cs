using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace BotEngine.KnowledgeBase.Tests;

/// <summary>
/// The sample external agent: a weather-style service that needs the `region` slot. It is a plain function
/// from event to actions; <see cref="AgentHandler"/> serves it over HTTP semantics (signature check included).
/// </summary>
public sealed class WeatherAgent
{
    public AgentResponse Handle(AgentEvent e)
    {
        var text = e.Message?.Text.Trim().ToLowerInvariant();
        if (e.Type == AgentEventTypes.ClientMessage && e.Message?.Payload == "thanks")
            return new() { Actions = [new() { Type = AgentActionTypes.Message, Text = "Рад помочь!" }, new() { Type = AgentActionTypes.Done, Slots = new() { ["weather_done"] = "true" } }] };
        if (text == "оператор")
            return new() { Actions = [new() { Type = AgentActionTypes.Handoff, Line = "weather-desk" }] };
        if (!e.Slots.TryGetValue("region", out var region))
            return new() { Actions = [new() { Type = AgentActionTypes.Message, Text = "В каком регионе?" }] };
        return new()
        {
            Actions =
            [
                new()
                {
                    Type = AgentActionTypes.Message,
                    Text = $"**{region}**: +21 °C, ясно.",
                    Buttons = [new() { Label = "Подробнее", Url = "https://weather.example.org" }, new() { Label = "Спасибо", Value = "thanks" }],
                },
            ],
        };
    }
}

/// <summary>An in-process HTTP endpoint: checks the signature, then answers (sync), accepts (async) or fails on demand.</summary>
public sealed class AgentHandler(string secret, Func<AgentEvent, AgentResponse> agent) : HttpMessageHandler
{
    public bool Async { get; set; }
    public Queue<HttpStatusCode> Failures { get; } = new();
    public TimeSpan Delay { get; set; }
    public List<(AgentEvent Event, string EventIdHeader)> Received { get; } = [];
    public List<byte[]> Callbacks { get; } = []; // signed bodies the async agent will POST to the callback URL

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        if (Failures.TryDequeue(out var failure))
            return new HttpResponseMessage(failure);
        if (!AgentSignature.Verify(secret, body, request.Headers.GetValues(AgentSignature.HeaderName).Single()))
            return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        var agentEvent = JsonSerializer.Deserialize<AgentEvent>(body, AgentJson.Options)!;
        Received.Add((agentEvent, request.Headers.GetValues(AgentSignature.EventIdHeaderName).Single()));
        var answer = AgentJson.Serialize(agent(agentEvent));
        if (Async)
        {
            Callbacks.Add(answer);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(answer) };
    }
}

public class ExternalAgentTests
{
    private static readonly ExternalAgent Agent = TestKb.Load().Agents.Single(); // weather: timeout 5 s, 1 retry
    private static readonly AgentChannel Telegram = new() { Type = "telegram", Id = "42" };
    private static readonly AgentClient Client = new() { Name = "Анна", Phone = "+79123456789" };

    private static ExternalAgentClient ClientFor(AgentHandler handler) =>
        new(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, new FixedTime(TestKb.WorkingHours), new ExternalAgentClientOptions { RetryDelay = TimeSpan.Zero });

    private static CancellationToken Timeout5s => new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;

    [Fact]
    public void Signature_matches_a_known_hmac_sha256_vector()
    {
        var body = "The quick brown fox jumps over the lazy dog"u8;
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", AgentSignature.Sign("key", body));
        Assert.True(AgentSignature.Verify("key", body, "sha256=F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8"));
    }

    [Theory]
    [InlineData("key", "The quick brown fox jumps over the lazy cat")]
    [InlineData("other", "The quick brown fox jumps over the lazy dog")]
    public void Signature_fails_for_another_body_or_secret(string secret, string body) =>
        Assert.False(AgentSignature.Verify(secret, Encoding.UTF8.GetBytes(body), "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=zzbc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    public void Malformed_signature_headers_fail(string? header) =>
        Assert.False(AgentSignature.Verify("key", "The quick brown fox jumps over the lazy dog"u8, header));

    [Fact]
    public async Task Redirect_round_trip_sync_with_the_sample_agent()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle);
        var chat = Chat.Start();
        chat.Say("погода");
        var redirect = Assert.IsType<TurnOutcome.Redirect>(chat.Say("Тверская область").Outcome);
        var state = chat.State;

        // The engine: dialogStarted with the slots, then apply the answer.
        var started = AgentActions.CreateEvent(AgentEventTypes.DialogStarted, redirect.AgentId, "d-1", state, Telegram, new FixedTime(TestKb.WorkingHours),
            client: Client, message: new AgentClientMessage { Text = "Тверская область" }, callbackUrl: "https://engine.example.org/api/v1/agents/weather/dialogs/d-1/actions");
        var call = await ClientFor(handler).SendAsync(Agent, started, Timeout5s);
        Assert.Equal(AgentCallStatus.Answered, call.Status);
        var turn = AgentActions.Apply(call.Response!, state);
        Assert.Equal("**Тверская область**: +21 °C, ясно.", turn.Messages.Single().Text);
        Assert.Equal("https://weather.example.org", turn.Messages[0].Buttons[0].Url);
        Assert.Equal("weather", turn.State.ExternalAgentId); // the agent still owns the dialog

        var received = handler.Received.Single();
        Assert.Equal(started.EventId, received.EventIdHeader);
        Assert.Equal("telegram", received.Event.Channel.Type);
        Assert.Equal("+79123456789", received.Event.Client.Phone);
        Assert.Equal("Тверская область", received.Event.Slots["region"]);

        // The client presses the reply button: the agent says done and returns a slot; the bot has the dialog again.
        var pressed = AgentActions.CreateEvent(AgentEventTypes.ClientMessage, "weather", "d-1", turn.State, Telegram, TimeProvider.System,
            message: new AgentClientMessage { Text = "Спасибо", Payload = turn.Messages[0].Buttons[1].Value });
        var done = AgentActions.Apply((await ClientFor(handler).SendAsync(Agent, pressed, Timeout5s)).Response!, turn.State);
        Assert.Equal(["Рад помочь!"], done.Texts());
        Assert.IsType<TurnOutcome.Continue>(done.Outcome);
        Assert.Null(done.State.ExternalAgentId);
        Assert.Equal("true", done.State.Slots["weather_done"]);
    }

    [Fact]
    public async Task Redirect_round_trip_async_through_the_callback()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle) { Async = true };
        var state = new DialogState { Slots = { ["region"] = "Москва" }, ExternalAgentId = "weather" };
        var call = await ClientFor(handler).SendAsync(Agent,
            AgentActions.CreateEvent(AgentEventTypes.DialogStarted, "weather", "d-2", state, Telegram, TimeProvider.System), Timeout5s);
        Assert.Equal(AgentCallStatus.Accepted, call.Status);
        Assert.Null(call.Response);

        // What the engine's callback endpoint does with the agent's later POST: verify, parse, apply.
        var body = handler.Callbacks.Single();
        var header = AgentSignature.Sign(Agent.Secret, body);
        Assert.True(AgentSignature.Verify(Agent.Secret, body, header));
        Assert.True(AgentJson.TryParseResponse(body, out var actions, out var error), error);
        Assert.Equal("**Москва**: +21 °C, ясно.", AgentActions.Apply(actions!, state).Messages.Single().Text);
    }

    [Fact]
    public async Task Agent_handoff_and_close_end_its_ownership()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle);
        var state = new DialogState { ExternalAgentId = "weather" };
        var message = AgentActions.CreateEvent(AgentEventTypes.ClientMessage, "weather", "d-3", state, Telegram, TimeProvider.System,
            message: new AgentClientMessage { Text = "Оператор" });
        var turn = AgentActions.Apply((await ClientFor(handler).SendAsync(Agent, message, Timeout5s)).Response!, state);
        var handoff = Assert.IsType<TurnOutcome.Handoff>(turn.Outcome);
        Assert.Equal("weather-desk", handoff.Line);
        Assert.Null(turn.State.ExternalAgentId);
        Assert.Equal("weather", turn.State.ReturnToAgentId);

        var closed = AgentActions.Apply(new AgentResponse { Actions = [new() { Type = "close" }, new() { Type = "message", Text = "ignored" }] }, new DialogState { ExternalAgentId = "x" });
        Assert.IsType<TurnOutcome.Close>(closed.Outcome);
        Assert.Empty(closed.Messages);
    }

    [Fact]
    public void An_operator_gives_the_dialog_back_to_the_agent_that_handed_it_over_with_its_slots()
    {
        var handedOver = new DialogState { ReturnToAgentId = "weather", Slots = { ["region"] = "Тверь" }, ConsecutiveMisses = 2, LastArticleId = "weather_ru" };
        var (state, agentId) = AgentActions.ReturnFromOperator(handedOver);
        Assert.Equal("weather", agentId);
        Assert.Equal("weather", state.ExternalAgentId);
        Assert.Null(state.ReturnToAgentId);
        Assert.Equal("Тверь", state.Slots["region"]);
        Assert.Equal(0, state.ConsecutiveMisses);
        Assert.Null(state.LastArticleId);

        // A dialog the bot itself handed over starts afresh with the bot.
        var (fresh, none) = AgentActions.ReturnFromOperator(new DialogState { Slots = { ["region"] = "Тверь" }, ConsecutiveMisses = 2 });
        Assert.Null(none);
        Assert.Null(fresh.ExternalAgentId);
        Assert.Empty(fresh.Slots);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_the_same_event_id()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle);
        handler.Failures.Enqueue(HttpStatusCode.ServiceUnavailable);
        var e = AgentActions.CreateEvent(AgentEventTypes.DialogStarted, "weather", "d-4", new DialogState(), Telegram, TimeProvider.System);
        var call = await ClientFor(handler).SendAsync(Agent, e, Timeout5s);
        Assert.Equal(AgentCallStatus.Answered, call.Status);
        Assert.Equal(2, call.Attempts);
        Assert.Equal(e.EventId, handler.Received.Single().EventIdHeader);
    }

    [Fact]
    public async Task Gives_up_after_the_retries()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle);
        handler.Failures.Enqueue(HttpStatusCode.InternalServerError);
        handler.Failures.Enqueue(HttpStatusCode.BadGateway);
        var call = await ClientFor(handler).SendAsync(Agent, AgentActions.CreateEvent(AgentEventTypes.DialogStarted, "weather", "d-5", new DialogState(), Telegram, TimeProvider.System), Timeout5s);
        Assert.Equal(AgentCallStatus.Failed, call.Status);
        Assert.Equal(2, call.Attempts);
        Assert.Equal("agent 'weather' answered HTTP 502", call.Error);
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_a_bad_secret_is_refused()
    {
        var handler = new AgentHandler("another-secret-entirely", new WeatherAgent().Handle);
        var call = await ClientFor(handler).SendAsync(Agent, AgentActions.CreateEvent(AgentEventTypes.DialogStarted, "weather", "d-6", new DialogState(), Telegram, TimeProvider.System), Timeout5s);
        Assert.Equal(AgentCallStatus.Failed, call.Status);
        Assert.Equal(1, call.Attempts);
        Assert.Equal("agent 'weather' answered HTTP 401", call.Error);
    }

    [Fact]
    public async Task A_slow_agent_times_out_per_attempt()
    {
        var handler = new AgentHandler(Agent.Secret, new WeatherAgent().Handle) { Delay = TimeSpan.FromSeconds(30) };
        var quick = new ExternalAgent { Id = "slow", Name = "Slow", Url = "https://slow.example.org", Secret = Agent.Secret, TimeoutSeconds = 1, Retries = 0 };
        var call = await ClientFor(handler).SendAsync(quick, AgentActions.CreateEvent(AgentEventTypes.DialogStarted, "slow", "d-7", new DialogState(), Telegram, TimeProvider.System), Timeout5s);
        Assert.Equal(AgentCallStatus.Failed, call.Status);
        Assert.Equal("agent 'slow' did not answer within 1 s", call.Error);
    }

    [Theory]
    [InlineData("""{ "actions": [ { "type": "dance" } ] }""", "actions[0]: unknown action type 'dance'")]
    [InlineData("""{ "actions": [ { "type": "message" } ] }""", "actions[0]: a message needs text or attachments")]
    [InlineData("""{ "actions": [ { "type": "message", "text": "x", "buttons": [ { "label": "b" } ] } ] }""", "actions[0]: a button needs exactly one of url and value")]
    [InlineData("""{ "actions": [ { "type": "message", "text": "x", "buttons": [ { "label": "b", "url": "javascript:alert(1)" } ] } ] }""", "actions[0]: button url 'javascript:alert(1)' is not an absolute http(s) URL")]
    [InlineData("""{ "actions": [ { "type": "message", "attachments": [ { "name": "a", "contentType": "image/png", "url": "data:image/png;base64,AA" } ] } ] }""", "actions[0]: attachment url 'data:image/png;base64,AA' is not an absolute http(s) URL")]
    public void Malformed_agent_actions_are_refused(string json, string expected)
    {
        Assert.False(AgentJson.TryParseResponse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void The_openapi_document_describes_every_contract_field()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "external-agent.openapi.yaml"));
        Assert.StartsWith("openapi: 3.", yaml);
        foreach (var type in new[] { typeof(AgentEvent), typeof(AgentChannel), typeof(AgentClient), typeof(AgentClientMessage), typeof(AgentFile), typeof(AgentResponse), typeof(AgentAction), typeof(AgentButton) })
        {
            Assert.Contains($"    {type.Name}:\n", yaml);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                Assert.Contains($" {JsonNamingPolicy.CamelCase.ConvertName(property.Name)}:", yaml);
        }
        foreach (var constant in typeof(AgentEventTypes).GetFields().Concat(typeof(AgentActionTypes).GetFields()))
            Assert.Contains((string)constant.GetValue(null)!, yaml);
        Assert.Contains(AgentSignature.HeaderName, yaml);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BotEngine.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
