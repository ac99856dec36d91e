using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Tests;

/// <summary>
/// An operator closes a dialog an external agent had handed over while the agent is down; the engine process is killed
/// (SIGKILL) before <c>dialogClosed</c> got through, started again on the same data, and the agent gets the event once.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class AgentEventCrashTests
{
    private const string Secret = "weather-shared-secret-1";
    private const string WeatherPhrase = "Какая погода в моём регионе?";

    [Fact]
    public async Task A_close_stored_before_the_engine_is_killed_reaches_the_agent_once_after_the_restart()
    {
        await using var agent = await SampleAgentHost.StartAsync(Secret);
        var agentUrl = agent.Url;
        var journal = agent.Journal;
        var outage = agent.Outage;
        var dataDir = TestDatabases.NewTempDir();
        var baseUri = new Uri($"http://127.0.0.1:{CrashRecoveryTests.FreePort()}");
        // Quick retries, and a call cut short by the kill is due again a second after its attempt's timeout.
        string[] args = ["--Agents:RetryDelay=00:00:00.200", "--Agents:PollInterval=00:00:00.200", "--Agents:LeaseMargin=00:00:01"];
        try
        {
            string dialogId;
            string adminId;
            using (var doomed = await EngineProcess.StartAsync(baseUri, dataDir, args))
            {
                using var api = await SignedInAsync(baseUri);
                var import = await api.PostAsync("/api/v1/kb/import", new StringContent($$"""
                    {
                      "agents": [ { "id": "weather", "name": "Погода", "url": "{{agentUrl}}/", "secret": "{{Secret}}", "timeoutSeconds": 2, "retries": 1,
                                    "operatorPhrases": ["живой человек"] } ],
                      "articles": [ { "id": "weather_ru", "title": "Погода", "questions": ["{{WeatherPhrase}}"], "answers": [ { "text": "/redirect weather" } ] } ]
                    }
                    """, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, import.StatusCode);
                await OperatorSteps.SetStatusAsync(api, "online");
                adminId = (await api.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();

                // The agent hands the dialog to operators; the admin takes it and closes it while the agent is down.
                using var chat = await DirectLineClient.StartAsync(baseUri);
                await chat.SendAsync(WeatherPhrase);
                await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Для какого региона показать погоду?", TimeSpan.FromSeconds(20));
                await chat.SendAsync("оператор");
                dialogId = (await Eventually.WaitAsync(async () =>
                {
                    var held = await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned,active&operatorId={adminId}");
                    return held!.Count > 0 ? held[0]!["id"]!.GetValue<string>() : null;
                }, TimeSpan.FromSeconds(20)));
                Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/dialogs/{dialogId}/accept", null)).StatusCode);
                outage.Down = true;
                Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Погода", clientDissatisfied = false })).StatusCode);

                // The engine has tried (so the event is stored) and failed; it dies before the agent is back.
                await Eventually.WaitAsync(() => Task.FromResult<bool?>(journal.AttemptedIds.Any(id => IsClose(id, dialogId)) ? true : null), TimeSpan.FromSeconds(20));
                doomed.Kill();
            }
            Assert.DoesNotContain(journal.Events, e => e.Type == AgentEventTypes.DialogClosed);

            outage.Down = false;
            using var restarted = await EngineProcess.StartAsync(baseUri, dataDir, args);
            var closed = await Eventually.WaitAsync(() => Task.FromResult(journal.Events.FirstOrDefault(e => e.Type == AgentEventTypes.DialogClosed)), TimeSpan.FromSeconds(30));
            Assert.Equal(dialogId, closed.DialogId);
            Assert.Equal(AgentClosers.Operator, closed.ClosedBy);
            Assert.Equal(adminId, closed.Operator!.Id);
            // Give a duplicate the chance to show up before counting for good.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(0, journal.RepeatsOf(closed.EventId));
            Assert.Single(journal.AttemptedIds, id => IsClose(id, dialogId));
        }
        finally
        {
            TestDatabases.TryDelete(dataDir);
        }
    }

    private static bool IsClose(string eventId, string dialogId) =>
        eventId.StartsWith(dialogId, StringComparison.Ordinal) && eventId.EndsWith("-" + AgentEventTypes.DialogClosed, StringComparison.Ordinal);

    private static async Task<HttpClient> SignedInAsync(Uri baseUri)
    {
        var api = new HttpClient { BaseAddress = baseUri };
        var response = await api.PostAsJsonAsync("/api/v1/auth/token", new { login = "admin", password = EngineHost.AdminPassword });
        response.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
        return api;
    }
}
