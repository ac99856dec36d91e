using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.KnowledgeBase;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Agent calls run outside the turn lanes: a slow agent delays nobody else, its clients are told to wait and answered
/// in order, an agent that never answers hands off after the engine's retry limit, and a call whose node dies is
/// made by another node with the same event id.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class SlowAgentTests(ITestOutputHelper output)
{
    private const string Secret = "slow-agent-shared-secret";
    private const string SlowPhrase = "Запусти медленный сервис";
    private const string WaitText = "Минутку, пожалуйста: уточняю информацию и скоро отвечу.";
    private const string FailedText = "Сервис сейчас не отвечает. Подключаю оператора.";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Forty_conversations_waiting_for_a_60_s_agent_delay_no_other_client_by_more_than_a_second(StorageKind storage)
    {
        await using var agent = await SlowAgent.StartAsync();
        await using var engine = await EngineHost.StartAsync(storage, "--Agents:WaitNoticeAfter=00:00:00.300");
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ImportSlowAgentAsync(api, agent.Url, timeoutSeconds: 60, retries: 0);

        // The same burst of unrelated clients with nothing waiting for an agent: the machine's own latency.
        await MeasureRepliesAsync(engine, "warm-up");
        var baseline = await MeasureRepliesAsync(engine, "before");
        Assert.DoesNotContain(TimeSpan.MaxValue, baseline);

        // 40 clients ask for the slow agent; it holds every request for 60 s (or until released).
        var slow = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => DirectLineClient.StartAsync(engine.BaseUri)));
        try
        {
            var asked = await Task.WhenAll(slow.Select((c, i) => c.SendAsync(SlowPhrase, userId: $"slow-{i}")));
            await Eventually.WaitAsync(() => Task.FromResult<bool?>(agent.Received.Count >= 10), TimeSpan.FromSeconds(30));

            // While they wait, unrelated clients are answered as fast as before: no one is delayed by more than 1 s.
            var latencies = await MeasureRepliesAsync(engine, "during");
            output.WriteLine($"{storage}: unrelated clients' reply latencies (ms) before: {Format(baseline)}; while 40 wait for the agent: {Format(latencies)}");
            Assert.True(latencies.All(l => l <= baseline.Max() + TimeSpan.FromSeconds(1)),
                $"unrelated clients' reply latencies (ms) before: {Format(baseline)}; while 40 wait for the agent: {Format(latencies)}");

            // The waiting clients are told to wait; a second message of one of them waits behind its agent call.
            await slow[0].WaitForBotAsync(a => DirectLineClient.Text(a) == WaitText && a["replyToId"]?.GetValue<string>() == asked[0], TimeSpan.FromSeconds(10));
            var second = await slow[0].SendAsync("А ещё вопрос", userId: "slow-0");
            await slow[1].WaitForBotAsync(a => DirectLineClient.Text(a) == WaitText, TimeSpan.FromSeconds(10));
            Assert.DoesNotContain(agent.Received, e => e.Message?.Text == "А ещё вопрос");

            // Released, the agent answers all 40, and the waiting message is answered after the first answer.
            agent.Release();
            await Task.WhenAll(slow.Select((c, i) => c.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == asked[i]
                && DirectLineClient.Text(a) == $"Ответ на: {SlowPhrase}", TimeSpan.FromSeconds(30))));
            await slow[0].WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == second && DirectLineClient.Text(a) == "Ответ на: А ещё вопрос", TimeSpan.FromSeconds(20));
            var order = slow[0].Received.Where(a => a["from"]?["role"]?.GetValue<string>() == "bot").Select(DirectLineClient.Text).ToList();
            Assert.True(order.IndexOf($"Ответ на: {SlowPhrase}") < order.IndexOf("Ответ на: А ещё вопрос"), string.Join(" | ", order));
            var followUp = agent.Received.Single(e => e.Message?.Text == "А ещё вопрос");
            Assert.Equal(AgentEventTypes.ClientMessage, followUp.Type);
            Assert.Single(agent.Received, e => e.Type == AgentEventTypes.DialogStarted && e.DialogId == followUp.DialogId);
            Assert.Equal(41, agent.Received.Count);
        }
        finally
        {
            agent.Release();
            foreach (var client in slow)
                client.Dispose();
        }
    }

    [Fact]
    public async Task An_agent_that_never_answers_hands_the_dialog_to_operators_when_the_retry_time_is_spent()
    {
        await using var agent = await SlowAgent.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--Agents:MaxRetryTime=00:00:02");
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ImportSlowAgentAsync(api, agent.Url, timeoutSeconds: 60, retries: 0, waitForClassifier: false);

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var watch = Stopwatch.StartNew();
        var asked = await chat.SendAsync(SlowPhrase);
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == asked && DirectLineClient.Text(a) == FailedText, TimeSpan.FromSeconds(15));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.Count == 1 ? true : (bool?)null);
    }

    [Fact]
    public async Task A_call_whose_node_dies_is_made_again_by_another_node_with_the_same_event_id()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        var unusedDataDir = TestDatabases.NewTempDir();
        try
        {
            await using var agent = await SlowAgent.StartAsync();
            // The doomed node alone takes the client's message and claims its agent call (lease: 5 s timeout + 1 s), then dies.
            var doomedUri = new Uri($"http://127.0.0.1:{CrashRecoveryTests.FreePort()}");
            using var doomed = await EngineProcess.StartAsync(doomedUri, unusedDataDir, ["--postgres", connectionString, "--Agents:LeaseMargin=00:00:01"]);
            using (var doomedApi = new HttpClient { BaseAddress = doomedUri })
            {
                doomedApi.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(doomedApi));
                await ImportSlowAgentAsync(doomedApi, agent.Url, timeoutSeconds: 5, retries: 0, waitForClassifier: false);
            }
            using var chat = await DirectLineClient.StartAsync(doomedUri);
            await chat.SendAsync(SlowPhrase, userId: "client-of-the-dead");
            var first = await Eventually.WaitAsync(() => Task.FromResult(agent.Received.FirstOrDefault()), TimeSpan.FromSeconds(20));

            doomed.Kill();
            agent.Release();
            await using var survivor = await EngineHost.StartOnPostgresAsync(connectionString, "--Agents:PollInterval=00:00:00.200");

            // The survivor makes the call again when the lease runs out, with the same event id, and applies the answer once.
            var again = await Eventually.WaitAsync(() => Task.FromResult(agent.Received.Skip(1).FirstOrDefault()), TimeSpan.FromSeconds(20));
            Assert.Equal(first.EventId, again.EventId);
            using var api = survivor.OperatorClient(await survivor.OperatorTokenAsync());
            await Eventually.WaitAsync(async () =>
            {
                var messages = (await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{first.DialogId}/messages"))!;
                return messages.Count(m => m!["text"]?.GetValue<string>() == $"Ответ на: {SlowPhrase}") == 1 ? true : (bool?)null;
            });
            Assert.Equal(2, agent.Received.Count);
        }
        finally
        {
            TestDatabases.TryDelete(unusedDataDir);
            await drop();
        }
    }

    [Fact]
    public async Task Agent_options_out_of_range_stop_the_start_naming_the_option()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => EngineHost.StartAsync(StorageKind.Sqlite, "--Agents:MaxRetryTime=01:00:00"));
        Assert.Contains("Agents:MaxRetryTime", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>16 new clients at once ask a KB question; the time from each send to its reply (MaxValue: none in 10 s).</summary>
    private static Task<TimeSpan[]> MeasureRepliesAsync(EngineHost engine, string round) =>
        Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var other = await DirectLineClient.StartAsync(engine.BaseUri);
            var watch = Stopwatch.StartNew();
            var sent = await other.SendAsync("Как заблокировать карту?", userId: $"other-{round}-{i}");
            try
            {
                await other.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == sent
                    && DirectLineClient.Text(a)!.StartsWith("Заблокировать карту можно", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                return watch.Elapsed;
            }
            catch (TimeoutException)
            {
                return TimeSpan.MaxValue;
            }
        }));

    private static string Format(IEnumerable<TimeSpan> latencies) =>
        string.Join(", ", latencies.Select(l => l == TimeSpan.MaxValue ? "none in 10 s" : ((int)l.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task<string> TokenAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = EngineHost.AdminPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>
    /// Registers the agent and an article that redirects to it (its phrasing is matched exactly at once); waits for the
    /// classifier's retraining to end when CPU time matters to the test.
    /// </summary>
    private static async Task ImportSlowAgentAsync(HttpClient api, string agentUrl, int timeoutSeconds, int retries, bool waitForClassifier = true)
    {
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
            {
              "agents": [ { "id": "slow", "name": "Медленный", "url": "{{agentUrl}}/", "secret": "{{Secret}}", "timeoutSeconds": {{timeoutSeconds}}, "retries": {{retries}} } ],
              "articles": [ { "id": "slow_ru", "title": "Медленный сервис", "questions": ["{{SlowPhrase}}"], "answers": [ { "text": "/redirect slow" } ] } ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        if (!waitForClassifier)
            return;
        await Eventually.WaitAsync(async () =>
        {
            var status = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!;
            return status["classifierRevision"]!.GetValue<long>() == status["revision"]!.GetValue<long>() ? true : (bool?)null;
        }, TimeSpan.FromSeconds(60));
    }

    /// <summary>A local agent that holds every event for 60 s, or until the test releases it, then answers it.</summary>
    private sealed class SlowAgent : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private SlowAgent(WebApplication app) => _app = app;

        public ConcurrentQueue<AgentEvent> Received { get; } = new();

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public static async Task<SlowAgent> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            // a peer of the test, not the engine under test: its request log would only bury the test results in the output
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var agent = new SlowAgent(app);
            app.MapPost("/", (HttpRequest request) => agent.HandleAsync(request.HttpContext));
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return agent;
        }

        public void Release() => _release.TrySetResult();

        private async Task<IResult> HandleAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            if (!AgentSignature.Verify(Secret, body, context.Request.Headers[AgentSignature.HeaderName].FirstOrDefault()))
                return Results.Unauthorized();
            var agentEvent = JsonSerializer.Deserialize<AgentEvent>(body, AgentJson.Options)!;
            Received.Enqueue(agentEvent);
            await Task.WhenAny(_release.Task, Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted));
            var answer = new AgentResponse { Actions = [new AgentAction { Type = AgentActionTypes.Message, Text = $"Ответ на: {agentEvent.Message?.Text}" }] };
            return Results.Bytes(AgentJson.Serialize(answer), "application/json");
        }

        public async ValueTask DisposeAsync()
        {
            Release();
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await _app.DisposeAsync();
        }
    }
}
