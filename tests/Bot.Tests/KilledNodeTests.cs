using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.TurnFaults;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Two nodes on one PostgreSQL database; one is a separate process killed with SIGKILL. What it acknowledged
/// and the timers it set are finished by the node that survives, once each.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class KilledNodeTests
{
    [Fact]
    public async Task A_killed_nodes_acknowledged_turns_and_timers_are_taken_over()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        var unusedDataDir = TestDatabases.NewTempDir();
        try
        {
            await using var survivor = await EngineHost.StartOnPostgresAsync(connectionString, "--Timers:PollInterval=00:00:00.200");
            using var admin = survivor.OperatorClient(await survivor.OperatorTokenAsync());
            var settings = await admin.PutAsJsonAsync("/api/v1/call-centres/default", new
            {
                timers = new
                {
                    holdPatterns = new[] { "Минуту, уточняю" },
                    holdOperatorTimeout = "00:00:03",
                    holdOperatorMessage = "Спасибо за ожидание, оператор скоро вернётся.",
                },
            });
            Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
            await OperatorSteps.SetStatusAsync(admin, "online");
            var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();

            // The doomed node's turns hang, so a message it acknowledges is still open when it dies.
            var doomedUri = new Uri($"http://127.0.0.1:{CrashRecoveryTests.FreePort()}");
            var turnsStarted = Path.Combine(unusedDataDir, "turns-started");
            using var doomed = await EngineProcess.StartAsync(doomedUri, unusedDataDir, ["--postgres", connectionString],
                SlowTurnsProcess.Environment(TimeSpan.FromMinutes(5), turnsStarted));

            using var waiting = await DirectLineClient.StartAsync(survivor.BaseUri);
            await waiting.SendAsync("Позовите оператора", userId: "waiting-client");
            var dialogId = (await Eventually.WaitAsync(async () =>
            {
                var held = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned,active&operatorId={adminId}");
                return held!.Count > 0 ? held[0]!.AsObject() : null;
            }))["id"]!.GetValue<string>();

            // Through the doomed node: the operator's hold message sets a timer, and another client's message is acknowledged.
            using var operatorOnDoomed = new HttpClient { BaseAddress = doomedUri };
            operatorOnDoomed.DefaultRequestHeaders.Authorization = new("Bearer", await survivor.OperatorTokenAsync());
            Assert.Equal(HttpStatusCode.OK, (await operatorOnDoomed.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Минуту, уточняю" })).StatusCode);
            using var stranded = await DirectLineClient.StartAsync(doomedUri);
            var strandedMessage = await stranded.SendAsync("Как заблокировать карту?", userId: "stranded-client");
            // Its turn has begun on the doomed node (and cannot commit for minutes) when the node dies.
            await Eventually.WaitAsync(() => Task.FromResult<bool?>(File.Exists(turnsStarted) && File.ReadAllText(turnsStarted).Contains(strandedMessage, StringComparison.Ordinal)));
            doomed.Kill();

            // The survivor fires the dead node's timer and answers the message the dead node acknowledged, once.
            await waiting.WaitForBotAsync(a => DirectLineClient.Text(a) == "Спасибо за ожидание, оператор скоро вернётся.", TimeSpan.FromSeconds(20));
            Assert.Equal(1, await CrashRecoveryTests.WaitForRepliesAsync(survivor.BaseUri, stranded.ConversationId, strandedMessage));
        }
        finally
        {
            TestDatabases.TryDelete(unusedDataDir);
            await drop();
        }
    }
}
