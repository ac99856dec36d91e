using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Tests;

/// <summary>/redirect to the sample weather agent, synchronously and through the callback API, over Direct Line.</summary>
public sealed class AgentFlowTests
{
    private const string Secret = "weather-shared-secret-1";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Redirect_to_the_weather_agent_sync_and_async_and_hand_off_when_it_fails(StorageKind storage)
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret, "--Agent:CallbackDelay=00:00:00.100");
        var agentUrl = agent.Url;
        var journal = agent.Journal;

        await using var engine = await EngineHost.StartAsync(storage, "--Agents:RetryDelay=00:00:00.050");
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
            {
              "slots": [ { "id": "region", "name": "Регион", "type": "text", "question": { "text": "Для какого региона показать погоду?" } } ],
              "agents": [
                { "id": "weather", "name": "Погода", "url": "{{agentUrl}}/", "secret": "{{Secret}}", "timeoutSeconds": 5, "retries": 1 },
                { "id": "weather_async", "name": "Погода позже", "url": "{{agentUrl}}/async", "secret": "{{Secret}}", "timeoutSeconds": 5, "retries": 1 },
                { "id": "broken", "name": "Сломанный", "url": "http://127.0.0.1:9/", "secret": "{{Secret}}", "timeoutSeconds": 1, "retries": 1 }
              ],
              "articles": [
                { "id": "weather_ru", "title": "Погода", "questions": ["Какая погода в моём регионе?"], "slots": ["region"],
                  "answers": [ { "text": "Сейчас узнаю погоду." }, { "text": "/redirect weather" } ] },
                { "id": "weather_later_ru", "title": "Погода позже", "questions": ["Пришлите прогноз погоды позже"], "answers": [ { "text": "/redirect weather_async" } ] },
                { "id": "broken_ru", "title": "Сломанный сервис", "questions": ["Запусти сломанный сервис"], "answers": [ { "text": "/redirect broken" } ] }
              ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        // Synchronous: the scenario fills region, the agent gets it with the dialogStarted event and answers in the response.
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var ask = await chat.SendAsync("Какая погода в моём регионе?");
        await chat.WaitForBotAsync(a => ReplyTo(a, ask) && DirectLineClient.Text(a) == "Для какого региона показать погоду?");
        var region = await chat.SendAsync("Тверская область");
        await chat.WaitForBotAsync(a => ReplyTo(a, region) && DirectLineClient.Text(a) == "Сейчас узнаю погоду.");
        var forecast = await chat.WaitForBotAsync(a => ReplyTo(a, region) && DirectLineClient.Text(a)!.StartsWith("Погода для региона **Тверская область**", StringComparison.Ordinal));
        var link = forecast["suggestedActions"]!["actions"]!.AsArray().Single()!;
        Assert.Equal("openUrl", link["type"]!.GetValue<string>());
        var started = journal.Events.Single(e => e.Type == AgentEventTypes.DialogStarted && e.AgentId == "weather");
        Assert.Equal("Тверская область", started.Slots["region"]);
        Assert.Equal("directline", started.Channel.Type);
        Assert.Equal("Тверская область", started.Message!.Text);
        Assert.EndsWith($"/api/v1/agents/weather/dialogs/{started.DialogId}/actions", started.CallbackUrl, StringComparison.Ordinal);

        // "done" gave the dialog back to the bot.
        var next = await chat.SendAsync("Как заблокировать карту?");
        await chat.WaitForBotAsync(a => ReplyTo(a, next) && DirectLineClient.Text(a)!.StartsWith("Заблокировать карту можно", StringComparison.Ordinal));
        Assert.DoesNotContain(journal.Events, e => e.Type == AgentEventTypes.ClientMessage && e.Message?.Text == "Как заблокировать карту?");

        // Asynchronous, another client without a region: the agent asks with reply buttons through the callback API,
        // the pressed button's payload is forwarded to it, and its answer arrives through the callback too.
        using var other = await DirectLineClient.StartAsync(engine.BaseUri);
        // This client's profile has contact data, which the agent gets with each event.
        var hello = await other.SendAsync("Как заблокировать карту?", userId: "user-2");
        await other.WaitForBotAsync(a => ReplyTo(a, hello));
        var otherDialog = (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.Single(d => d!["id"]!.GetValue<string>() != started.DialogId)!;
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/clients/{otherDialog["clientId"]}", new { email = "anna@example.com", phone = "+7 916 123-45-67" })).StatusCode);
        var later = await other.SendAsync("Пришлите прогноз погоды позже", userId: "user-2");
        var question = await other.WaitForBotAsync(a => DirectLineClient.Text(a) == "Для какого региона показать погоду?");
        Assert.Null(question["replyToId"]); // it came later, through the callback, not as the turn's reply
        var spb = question["suggestedActions"]!["actions"]!.AsArray().Single(b => b!["title"]!.GetValue<string>() == "Санкт-Петербург")!;
        await other.SendAsync("Санкт-Петербург", userId: "user-2", value: spb["value"]!.DeepClone());
        await other.WaitForBotAsync(a => DirectLineClient.Text(a)!.StartsWith("Погода для региона **Санкт-Петербург**", StringComparison.Ordinal));
        var forwarded = journal.Events.Single(e => e.Type == AgentEventTypes.ClientMessage && e.AgentId == "weather_async");
        Assert.Equal("Санкт-Петербург", forwarded.Message!.Payload);
        Assert.Equal("anna@example.com", forwarded.Client.Email);
        Assert.Equal("+79161234567", forwarded.Client.Phone?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
        Assert.Null(started.Client.Email);
        Assert.NotNull(later);

        // The callback API: a repeated callback id is applied once; a bad signature is 401; a dialog the agent no longer owns is 409.
        var dialogId = forwarded.DialogId;
        var url = $"/api/v1/agents/weather_async/dialogs/{dialogId}/actions";
        var before = await CountBotMessagesAsync(api, dialogId);
        var body = AgentJson.Serialize(new AgentResponse { Actions = [new AgentAction { Type = AgentActionTypes.Message, Text = "повтор" }] });
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(engine.Http, url, body, Secret, forwarded.EventId)).StatusCode);
        Assert.Equal(before, await CountBotMessagesAsync(api, dialogId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSignedAsync(engine.Http, url, body, "wrong-secret", "fresh-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostSignedAsync(engine.Http, url, body, Secret, "fresh-2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostSignedAsync(engine.Http, "/api/v1/agents/nobody/dialogs/x/actions", body, Secret, "fresh-3")).StatusCode);
        var malformed = Encoding.UTF8.GetBytes("""{ "actions": [ { "type": "dance" } ] }""");
        var refused = await PostSignedAsync(engine.Http, url, malformed, Secret, "fresh-4");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("actions[0]", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An agent that does not answer: the client is told and the dialog goes to operators.
        var broken = await chat.SendAsync("Запусти сломанный сервис");
        await chat.WaitForBotAsync(a => ReplyTo(a, broken) && DirectLineClient.Text(a) == "Сервис сейчас не отвечает. Подключаю оператора.");
        await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.Count == 1 ? true : (bool?)null);
    }

    [Fact]
    public async Task An_agent_can_hand_the_dialog_to_a_named_operator_who_gives_it_back()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret, "--Agent:CallbackDelay=00:00:00.100");
        var agentUrl = agent.Url;
        var journal = agent.Journal;
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
            {
              "agents": [ { "id": "weather_async", "name": "Погода позже", "url": "{{agentUrl}}/async", "secret": "{{Secret}}", "timeoutSeconds": 5, "retries": 1 } ],
              "articles": [ { "id": "weather_later_ru", "title": "Погода позже", "questions": ["Пришлите прогноз погоды позже"], "answers": [ { "text": "/redirect weather_async" } ] } ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        await Eventually.WaitAsync(async () =>
        {
            var status = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!;
            return status["classifierRevision"]!.GetValue<long>() == status["revision"]!.GetValue<long>() ? true : (bool?)null;
        }, TimeSpan.FromSeconds(60));

        // The admin is online first (longest idle, the router's tie-break), then Olga: only the named operator may take it.
        await OperatorSteps.SetStatusAsync(api, "online");
        await OperatorSteps.CreateOperatorAsync(api, "olga");
        using var olga = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        var olgaId = (await olga.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        await OperatorSteps.SetStatusAsync(olga, "online");

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Пришлите прогноз погоды позже", userId: "user-2");
        await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Для какого региона показать погоду?");
        var started = journal.Events.First(e => e.Type == AgentEventTypes.DialogStarted);
        var body = AgentJson.Serialize(new AgentResponse { Actions = [new AgentAction { Type = AgentActionTypes.Handoff, OperatorId = olgaId }] });
        var handed = await PostSignedAsync(engine.Http, $"/api/v1/agents/weather_async/dialogs/{started.DialogId}/actions", body, Secret, "handoff-1");
        Assert.True(handed.IsSuccessStatusCode, await handed.Content.ReadAsStringAsync());
        await Eventually.WaitAsync(async () =>
            (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{started.DialogId}"))!["operatorId"]?.GetValue<string>() == olgaId ? true : (bool?)null);

        // Olga gives the dialog back to the bot: the agent that handed it over owns it again and hears why.
        Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsync($"/api/v1/dialogs/{started.DialogId}/accept", null)).StatusCode);
        var back = await olga.PostAsJsonAsync($"/api/v1/dialogs/{started.DialogId}/transfer", new { toBot = true, note = "Клиент из Казани" });
        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        var returned = await Eventually.WaitAsync(() => Task.FromResult(journal.Events.FirstOrDefault(e => e.Type == AgentEventTypes.ReturnedFromOperator)));
        Assert.Equal(started.DialogId, returned.DialogId);
        Assert.Equal(olgaId, returned.Operator!.Id);
        Assert.Equal("Клиент из Казани", returned.Operator.Note);
        Assert.Null(returned.Message);
        await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Снова с вами сервис погоды.");
        Assert.Equal("bot", (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{started.DialogId}"))!["state"]!.GetValue<string>());

        // The client's next message goes to the agent, not to the bot's classifier.
        await chat.SendAsync("Казань", userId: "user-2");
        await chat.WaitForBotAsync(a => DirectLineClient.Text(a)!.StartsWith("Погода для региона **Казань**", StringComparison.Ordinal));
        Assert.Contains(journal.Events, e => e.Type == AgentEventTypes.ClientMessage && e.DialogId == started.DialogId && e.Message?.Text == "Казань");
    }

    [Fact]
    public async Task A_client_leaves_the_agent_with_its_operator_phrase_or_its_cancel_phrase_and_the_agent_never_hears_them()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret, "--Agent:CallbackDelay=00:00:00.100");
        var agentUrl = agent.Url;
        var journal = agent.Journal;
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        // A blank phrase is refused at its field; the agent's own operator phrase replaces the default ones.
        var refused = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
            { "agents": [ { "id": "weather_async", "name": "Погода позже", "url": "{{agentUrl}}/async", "secret": "{{Secret}}", "cancelPhrases": [" "] } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("agents[0].cancelPhrases[0]", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
            {
              "agents": [ { "id": "weather_async", "name": "Погода позже", "url": "{{agentUrl}}/async", "secret": "{{Secret}}", "timeoutSeconds": 5, "retries": 1,
                            "operatorPhrases": ["живой человек"] } ],
              "articles": [ { "id": "weather_later_ru", "title": "Погода позже", "questions": ["Пришлите прогноз погоды позже"], "answers": [ { "text": "/redirect weather_async" } ] } ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        // The operator phrase (written any way) hands off; the agent does not get it.
        using var first = await DirectLineClient.StartAsync(engine.BaseUri);
        await first.SendAsync("Пришлите прогноз погоды позже", userId: "user-1");
        await first.WaitForBotAsync(a => DirectLineClient.Text(a) == "Для какого региона показать погоду?");
        await first.SendAsync("Живой человек!", userId: "user-1");
        await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.Count == 1 ? true : (bool?)null);

        // The cancel phrase gives the dialog back to the bot, which answers the next message itself (a new redirect).
        using var second = await DirectLineClient.StartAsync(engine.BaseUri);
        await second.SendAsync("Пришлите прогноз погоды позже", userId: "user-2");
        await second.WaitForBotAsync(a => DirectLineClient.Text(a) == "Для какого региона показать погоду?");
        var cancel = await second.SendAsync("Отмена", userId: "user-2");
        await second.WaitForBotAsync(a => ReplyTo(a, cancel) && DirectLineClient.Text(a) == "Хорошо, вернёмся к обычным вопросам. Чем могу помочь?");
        await second.SendAsync("Пришлите прогноз погоды позже", userId: "user-2");
        await Eventually.WaitAsync(() => Task.FromResult(journal.Events.Count(e => e.Type == AgentEventTypes.DialogStarted) == 3 ? true : (bool?)null));
        Assert.DoesNotContain(journal.Events, e => e.Type == AgentEventTypes.ClientMessage && e.Message?.Text is "Живой человек!" or "Отмена");
    }

    private static async Task<int> CountBotMessagesAsync(HttpClient api, string dialogId) =>
        (await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.Count(m => m!["direction"]!.GetValue<string>() == "out");

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string url, byte[] body, string secret, string callbackId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(AgentSignature.HeaderName, AgentSignature.Sign(secret, body));
        request.Headers.Add("X-BotEngine-Callback-Id", callbackId);
        return http.SendAsync(request);
    }

    private static bool ReplyTo(JsonObject activity, string messageId) => activity["replyToId"]?.GetValue<string>() == messageId;
}
