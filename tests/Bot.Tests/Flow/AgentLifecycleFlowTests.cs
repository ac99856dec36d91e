using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.SampleAgent;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// The external-agent lifecycle on the fake clock, with the sample weather agent: an operator's close, a timer close and
/// a transfer back to the bot reach the agent once each through its event outbox, though its first attempts fail; an
/// agent's handoff meets business hours; an asynchronous agent that never calls back falls back after its answer
/// timeout; the operator's transcript names the agent.
/// </summary>
public sealed class AgentLifecycleFlowTests
{
    private const string Secret = "weather-shared-secret-1";
    private const string AskRegion = "Для какого региона показать погоду?";
    private const string WeatherPhrase = "Какая погода в моём регионе?";
    private const string LaterPhrase = "Пришлите прогноз погоды позже";
    private const string LaterBotPhrase = "Прогноз погоды потом, или сам бот";

    [Fact]
    public async Task A_close_by_an_operator_a_timer_close_and_a_return_to_the_bot_reach_the_agent_once_each_after_failed_attempts()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret);
        var journal = agent.Journal;
        var outage = agent.Outage;
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--BotIdle:CheckInterval=1.00:00:00");
        using var admin = await engine.OperatorAsync();
        var (adminId, client) = await AgentDialogWithAdminAsync(engine, agent, admin, "weather-client");
        var dialogId = client.DialogId!;

        // Given back to the bot while the agent is down: the request does not wait for it; the event is stored with
        // the transfer and tried again until the agent is back, then taken once.
        outage.Down = true;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/transfer", new { toBot = true, note = "Клиент из Казани" })).StatusCode);
        var returned = await DeliveredAfterFailuresAsync(engine, journal, outage, dialogId, AgentEventTypes.ReturnedFromOperator);
        Assert.Equal(adminId, returned.Operator!.Id);
        Assert.Equal("Клиент из Казани", returned.Operator.Note);
        await client.ReplyMatchingAsync(r => r.Text == "Снова с вами сервис погоды.", "the agent's welcome back");

        // The operator's close, the agent down again.
        await HandOffAndAcceptAsync(engine, client, admin, adminId);
        outage.Down = true;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Погода", clientDissatisfied = false })).StatusCode);
        var closed = await DeliveredAfterFailuresAsync(engine, journal, outage, dialogId, AgentEventTypes.DialogClosed);
        Assert.Equal(AgentClosers.Operator, closed.ClosedBy);
        Assert.Equal(adminId, closed.Operator!.Id);

        // A timer close: another client's dialog with the agent goes quiet past the bot idle timeout.
        var quiet = engine.Client("quiet-client");
        await quiet.SendAsync(WeatherPhrase);
        await quiet.ReplyMatchingAsync(r => r.Text == AskRegion, "the agent's question");
        engine.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await engine.Services.GetRequiredService<BotIdleCloser>().CloseIdleAsync(CancellationToken.None));
        var timedOut = await engine.WaitAsync(() => Task.FromResult(journal.Events.FirstOrDefault(e => e.DialogId == quiet.DialogId && e.Type == AgentEventTypes.DialogClosed)),
            "dialogClosed of the idle dialog");
        Assert.Equal(AgentClosers.Timer, timedOut.ClosedBy);
        Assert.Null(timedOut.Operator);

        // Once each: taken once, never posted again, and finished in the outbox (nothing left to send).
        foreach (var e in new[] { returned, closed, timedOut })
        {
            Assert.Equal(0, journal.RepeatsOf(e.EventId));
            Assert.Equal(e == timedOut ? 1 : 3, journal.AttemptsOf(e.EventId));
            await engine.WaitAsync(async () => await OutcomeAsync(engine, e.EventId) == "answered", $"{e.Type} finished in the outbox");
        }
        Assert.Single(journal.Events, e => e.Type == AgentEventTypes.DialogClosed && e.DialogId == dialogId);

        // The operator's transcript names the agent on its messages, and only on them.
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        var asked = messages.First(m => m!["text"]?.GetValue<string>() == AskRegion)!;
        Assert.Equal("weather", asked["authorId"]!.GetValue<string>());
        Assert.Equal("Погода", asked["activity"]!["channelData"]![BotResponder.AgentField]!["name"]!.GetValue<string>());
        Assert.All(messages.Where(m => m!["author"]!.GetValue<string>() != "bot"), m => Assert.Null(m!["activity"]!["channelData"]?[BotResponder.AgentField]));
    }

    [Fact]
    public async Task A_dialog_closed_given_up_is_listed_among_the_errors_and_sent_again_with_the_same_event_id()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret);
        var journal = agent.Journal;
        var outage = agent.Outage;
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--BotIdle:CheckInterval=1.00:00:00", "--Agents:NoticeRetryTime=00:00:10");
        using var admin = await engine.OperatorAsync();
        var (adminId, client) = await AgentDialogWithAdminAsync(engine, agent, admin, "closed-client");
        var dialogId = client.DialogId!;

        // The agent is down for longer than the notice's retry time: the close is given up, and shown as an error.
        outage.Down = true;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Погода", clientDissatisfied = false })).StatusCode);
        var failed = await engine.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/failed-agent-calls"))!
            .FirstOrDefault(c => c!["dialogId"]!.GetValue<string>() == dialogId), "the given-up dialogClosed listed", nudge: TimeSpan.FromSeconds(2));
        var callId = failed!["id"]!.GetValue<string>();
        Assert.Equal(AgentEventTypes.DialogClosed, failed["eventType"]!.GetValue<string>());
        Assert.True(failed["replayable"]!.GetValue<bool>());
        Assert.Equal("weather", failed["agentId"]!.GetValue<string>());
        Assert.True(journal.AttemptsOf(callId) >= 2);
        Assert.DoesNotContain(journal.Events, e => e.EventId == callId);
        var errors = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["kind"]!.GetValue<string>() == "agent" && e["subject"]!.GetValue<string>() == dialogId);

        // Once the agent works, a supervisor sends it again: the agent takes the same event once, and the error is gone.
        outage.Down = false;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/failed-agent-calls/{callId}/replay", null)).StatusCode);
        var taken = await engine.WaitAsync(() => Task.FromResult(journal.Events.FirstOrDefault(e => e.EventId == callId)), "the replayed dialogClosed taken",
            nudge: TimeSpan.FromSeconds(1));
        Assert.Equal(AgentClosers.Operator, taken.ClosedBy);
        Assert.Equal(0, journal.RepeatsOf(callId));
        await engine.WaitAsync(async () => await OutcomeAsync(engine, callId) == "answered", "the replayed call finished");
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonArray>("/api/v1/failed-agent-calls"))!, c => c!["id"]!.GetValue<string>() == callId);
        var again = await admin.PostAsync($"/api/v1/failed-agent-calls/{callId}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("dialogClosed", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/failed-agent-calls/no-such-call/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/failed-agent-calls?limit=0")).StatusCode);
    }

    [Fact]
    public async Task An_agents_handoff_out_of_hours_gives_the_calendars_notice_and_takes_a_callback_request()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret);
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        await ImportAsync(admin, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KbFixtures", "out-of-hours.json")));
        await ImportAsync(admin, $$"""
            {
              "agents": [ { "id": "weather", "name": "Погода", "url": "{{agent.Url}}/", "secret": "{{Secret}}", "operatorPhrases": ["живой человек"] } ],
              "articles": [ { "id": "weather_ru", "title": "Погода", "questions": ["{{WeatherPhrase}}"], "answers": [ { "text": "/redirect weather" } ] } ]
            }
            """);

        await engine.Flow("night-client")
            .Send(WeatherPhrase)
            .ExpectAnswer(AskRegion)
            // The agent hands off at night: its own words, then the calendar's notice and the callback form, as the bot's handoff does.
            .Send("оператор")
            .ExpectAnswer("Передаю ваш вопрос о погоде оператору.")
            .ExpectAnswer("Сейчас нерабочее время.")
            .ExpectAnswer("Операторы сейчас не работают. Оставьте телефон — мы перезвоним.")
            .Send("8 912 345-67-89")
            .ExpectAnswer(r => Assert.StartsWith("Спасибо! Перезвоним", r.Text, StringComparison.Ordinal))
            .ExpectDialogState(DialogStates.Bot)
            .Then(async _ =>
            {
                var requests = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/callback-requests"))!;
                Assert.Equal("+79123456789", Assert.Single(requests)!["contacts"]!["callback_phone"]!.GetValue<string>());
                Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!);
            });

        // The client's own way out (the agent's operator phrase) meets the calendar too.
        await engine.Flow("night-client-2")
            .Send(WeatherPhrase)
            .ExpectAnswer(AskRegion)
            .Send("Живой человек")
            .ExpectAnswer("Сейчас нерабочее время.")
            .ExpectAnswer("Операторы сейчас не работают. Оставьте телефон — мы перезвоним.");
    }

    [Fact]
    public async Task An_async_agent_that_never_calls_back_hands_over_to_its_fallback_after_its_answer_timeout()
    {
        // It "thinks" for an hour of real time: in this test it never calls back.
        await using var agent = await SampleAgentHost.StartAsync(Secret, "--Agent:CallbackDelay=01:00:00");
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--Agents:AnswerCheckInterval=00:01:00");
        using var admin = await engine.OperatorAsync();
        var url = agent.Url + "/async";

        // The new settings are checked on save, naming the field.
        var shortWait = await admin.PutAsync("/api/v1/kb/agents/later", Json($$"""{ "name": "Позже", "url": "{{url}}", "secret": "{{Secret}}", "answerTimeoutSeconds": 5 }"""));
        Assert.Equal(HttpStatusCode.BadRequest, shortWait.StatusCode);
        Assert.Contains("answerTimeoutSeconds", await shortWait.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badFallback = await admin.PutAsync("/api/v1/kb/agents/later", Json($$"""{ "name": "Позже", "url": "{{url}}", "secret": "{{Secret}}", "fallback": "human" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, badFallback.StatusCode);
        Assert.Contains("fallback", await badFallback.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await ImportAsync(admin, $$"""
            {
              "agents": [
                { "id": "later", "name": "Позже", "url": "{{url}}", "secret": "{{Secret}}", "answerTimeoutSeconds": 60 },
                { "id": "later_bot", "name": "Позже или бот", "url": "{{url}}", "secret": "{{Secret}}", "answerTimeoutSeconds": 90, "fallback": "bot" }
              ],
              "articles": [
                { "id": "later_ru", "title": "Погода позже", "questions": ["{{LaterPhrase}}"], "answers": [ { "text": "/redirect later" } ] },
                { "id": "later_bot_ru", "title": "Погода потом", "questions": ["{{LaterBotPhrase}}"], "answers": [ { "text": "/redirect later_bot" } ] }
              ]
            }
            """);
        var stored = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/agents/later_bot"))!;
        Assert.Equal("bot", stored["fallback"]!.GetValue<string>());
        Assert.Equal(90, stored["answerTimeoutSeconds"]!.GetValue<int>());
        var timeouts = engine.Services.GetRequiredService<AgentAnswerTimeouts>();

        var toOperators = engine.Client("waits-for-operator");
        var toBot = engine.Client("waits-for-bot");
        await toOperators.SendAsync(LaterPhrase);
        await toBot.SendAsync(LaterBotPhrase);
        await AcceptedAsync(engine, toOperators.DialogId!);
        await AcceptedAsync(engine, toBot.DialogId!);

        // Within its answer timeout the agent keeps the dialog; past it the client is told and the fallback takes it.
        engine.Advance(TimeSpan.FromSeconds(59));
        await timeouts.FallBackOverdueAsync(CancellationToken.None);
        Assert.Equal(DialogStates.Bot, (await toOperators.DialogAsync()).State);
        Assert.Equal("later", BotResponder.ReadState((await toOperators.DialogAsync()).BotState).ExternalAgentId);
        engine.Advance(TimeSpan.FromSeconds(2));
        await timeouts.FallBackOverdueAsync(CancellationToken.None);
        await toOperators.ReplyMatchingAsync(r => r.Text == "Сервис так и не ответил. Передаю ваш вопрос оператору.", "the operator fallback's notice");
        Assert.Equal(DialogStates.Queued, (await toOperators.DialogAsync()).State);
        Assert.Equal("later_bot", BotResponder.ReadState((await toBot.DialogAsync()).BotState).ExternalAgentId);

        // The other agent's fallback is the bot, which answers the client's next question itself.
        engine.Advance(TimeSpan.FromSeconds(30));
        await timeouts.FallBackOverdueAsync(CancellationToken.None);
        await toBot.ReplyMatchingAsync(r => r.Text == "Сервис так и не ответил. Давайте я попробую помочь сам: напишите, пожалуйста, ваш вопрос.", "the bot fallback's notice");
        Assert.Null(BotResponder.ReadState((await toBot.DialogAsync()).BotState).ExternalAgentId);
        await new TestFlow(toBot)
            .Send("Как заблокировать карту?")
            .ExpectAnswer(r => Assert.StartsWith("Заблокировать карту можно", r.Text, StringComparison.Ordinal))
            .RunAsync();

        // Each fell back once: nothing is awaited any more, and the timeout's notice is not the agent's word.
        Assert.Equal(0, await timeouts.FallBackOverdueAsync(CancellationToken.None));
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{toOperators.DialogId}/messages"))!;
        var notice = Assert.Single(messages, m => m!["text"]?.GetValue<string>()?.StartsWith("Сервис так и не ответил", StringComparison.Ordinal) == true)!;
        Assert.Null(notice["authorId"]);
    }

    /// <summary>The client says "оператор" to the agent, which hands off; routing offers the dialog to the admin, who accepts.</summary>
    /// <summary>
    /// The weather agent registered, the admin online, and a client's dialog with the agent that the agent handed to
    /// operators ("оператор" is its word, not one of the agent's phrases that would take the client away from it) and
    /// the admin accepted.
    /// </summary>
    private static async Task<(string AdminId, FlowClient Client)> AgentDialogWithAdminAsync(FlowEngine engine, SampleAgentHost agent, HttpClient admin, string clientName)
    {
        var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        await ImportAsync(admin, $$"""
            {
              "agents": [ { "id": "weather", "name": "Погода", "url": "{{agent.Url}}/", "secret": "{{Secret}}", "timeoutSeconds": 5, "retries": 2,
                            "operatorPhrases": ["живой человек"] } ],
              "articles": [ { "id": "weather_ru", "title": "Погода", "questions": ["{{WeatherPhrase}}"], "answers": [ { "text": "/redirect weather" } ] } ]
            }
            """);
        await OperatorSteps.SetStatusAsync(admin, "online");
        var client = engine.Client(clientName);
        await client.SendAsync(WeatherPhrase);
        await client.ReplyMatchingAsync(r => r.Text == AskRegion, "the agent's question");
        await HandOffAndAcceptAsync(engine, client, admin, adminId);
        return (adminId, client);
    }

    private static async Task HandOffAndAcceptAsync(FlowEngine engine, FlowClient client, HttpClient admin, string adminId)
    {
        await client.SendAsync("оператор");
        await engine.WaitAsync(async () => (await client.DialogAsync()).OperatorId == adminId, "the admin offered the dialog");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/dialogs/{client.DialogId}/accept", null)).StatusCode);
    }

    /// <summary>
    /// Waits until the agent (down) refused the dialog's event twice, brings it back up, and returns the event once it
    /// was taken. The engine's backoff runs on the fake clock, which is moved on while nothing happens.
    /// </summary>
    private static async Task<AgentEvent> DeliveredAfterFailuresAsync(FlowEngine engine, AgentJournal journal, AgentOutage outage, string dialogId, string type)
    {
        string? EventId() => journal.AttemptedIds.FirstOrDefault(id => id.StartsWith(dialogId, StringComparison.Ordinal) && id.EndsWith("-" + type, StringComparison.Ordinal));
        await engine.WaitAsync(() => Task.FromResult(EventId() is { } id && journal.AttemptsOf(id) >= 2), $"two refused attempts of {type}", nudge: TimeSpan.FromSeconds(1));
        Assert.Equal(2, journal.AttemptsOf(EventId()!)); // the clock stands still: no third attempt before the agent is back
        outage.Down = false;
        return await engine.WaitAsync(() => Task.FromResult(journal.Events.FirstOrDefault(e => e.EventId == EventId())), $"{type} taken", nudge: TimeSpan.FromSeconds(1));
    }

    private static Task AcceptedAsync(FlowEngine engine, string dialogId) =>
        engine.WaitAsync(async () => await OutcomeOfDialogAsync(engine, dialogId) == "accepted", $"the agent taking dialog {dialogId}'s event for later");

    private static Task<string?> OutcomeAsync(FlowEngine engine, string callId) =>
        engine.Database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT outcome FROM agent_calls WHERE id = @callId", new { callId }), CancellationToken.None);

    private static Task<string?> OutcomeOfDialogAsync(FlowEngine engine, string dialogId) =>
        engine.Database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT outcome FROM agent_calls WHERE dialog_id = @dialogId AND answer_due_at IS NOT NULL", new { dialogId }), CancellationToken.None);

    private static async Task ImportAsync(HttpClient admin, string json)
    {
        var import = await admin.PostAsync("/api/v1/kb/import", Json(json));
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
