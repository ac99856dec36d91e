using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>Issue 4 through the real API: statuses, requirements, transfers with notes, closing rules, timers, supervision.</summary>
public sealed class RoutingApiTests
{
    [Fact]
    public async Task Routing_follows_language_statuses_and_transfers()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "anna", languages: ["ru"]);
        await OperatorSteps.CreateOperatorAsync(admin, "bob", languages: ["en"]);
        using var anna = engine.OperatorClient(await engine.OperatorTokenAsync("anna", "password-anna"));
        using var bob = engine.OperatorClient(await engine.OperatorTokenAsync("bob", "password-bob"));
        var annaId = (await anna.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        var bobId = (await bob.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();

        await OperatorSteps.SetStatusAsync(anna, "online");
        await OperatorSteps.SetStatusAsync(bob, "online");
        using var english = await DirectLineClient.StartAsync(engine.BaseUri);
        await english.SendAsync("I want to talk to a human operator", userId: "en-user");
        using var russian = await DirectLineClient.StartAsync(engine.BaseUri);
        await russian.SendAsync("Позовите оператора", userId: "ru-user");

        // Each dialog goes to the operator who speaks its language.
        var enDialog = await HeldByAsync(admin, bobId);
        var ruDialog = await HeldByAsync(admin, annaId);
        Assert.Equal("en", enDialog["language"]!.GetValue<string>());
        Assert.Equal("ru", ruDialog["language"]!.GetValue<string>());
        // The client hears the operator joined once the operator accepts, not when the dialog is offered.
        await english.PollAsync();
        Assert.DoesNotContain(english.Received, a => DirectLineClient.Text(a)?.Contains("has joined", StringComparison.Ordinal) == true);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PostAsync($"/api/v1/dialogs/{enDialog["id"]}/accept", null)).StatusCode);
        await english.WaitForBotAsync(a => DirectLineClient.Text(a) == "bob has joined the conversation.");

        // Invisible keeps current dialogs; leaving it needs going offline first.
        await OperatorSteps.SetStatusAsync(anna, "invisible");
        Assert.Equal("assigned", (await GetDialogAsync(admin, ruDialog))["state"]!.GetValue<string>());
        var back = await anna.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" });
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        Assert.Contains("offline", (await back.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        await OperatorSteps.SetStatusAsync(anna, "offline");
        await OperatorSteps.SetStatusAsync(anna, "online");

        // Lunch returns her dialogs to the queue; nobody else speaks Russian, so it waits.
        await OperatorSteps.SetStatusAsync(anna, "lunch");
        await Eventually.WaitAsync(async () => (await GetDialogAsync(admin, ruDialog))["state"]!.GetValue<string>() == "queued" ? true : null);
        var monitoring = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!;
        Assert.Equal(1, monitoring["queueLength"]!.GetValue<int>());
        await OperatorSteps.SetStatusAsync(anna, "online");
        await HeldByAsync(admin, annaId);

        // Transfer to the English queue with a note: Bob, who speaks it, gets the dialog; the note travels with it.
        var transfer = await anna.PostAsJsonAsync($"/api/v1/dialogs/{ruDialog["id"]}/transfer", new { language = "en", note = "Клиент просит английский" });
        Assert.Equal(HttpStatusCode.NoContent, transfer.StatusCode);
        await Eventually.WaitAsync(async () => (await GetDialogAsync(admin, ruDialog))["operatorId"]?.GetValue<string>() == bobId ? true : null);
        var events = await EventsAsync(engine, ruDialog["id"]!.GetValue<string>());
        Assert.Contains("transferred", events);
        Assert.Equal("Клиент просит английский", (await GetDialogAsync(admin, ruDialog))["note"]?["text"]?.GetValue<string>());

        // Closing needs a topic; an operator without modify_user_dissatisfaction may not set the verdict.
        var noTopic = await bob.PostAsJsonAsync($"/api/v1/dialogs/{ruDialog["id"]}/close", new { topic = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noTopic.StatusCode);
        var verdict = await bob.PostAsJsonAsync($"/api/v1/dialogs/{ruDialog["id"]}/close", new { topic = "Язык", clientDissatisfied = true });
        Assert.Equal(HttpStatusCode.Forbidden, verdict.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PostAsJsonAsync($"/api/v1/dialogs/{ruDialog["id"]}/close", new { topic = "Язык" })).StatusCode);

        // A supervisor forces Bob offline; his English dialog goes back to the queue.
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync($"/api/v1/operators/{bobId}/status", new { status = "offline" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/operators/{bobId}/status", new { status = "offline" })).StatusCode);
        await Eventually.WaitAsync(async () => (await GetDialogAsync(admin, enDialog))["state"]!.GetValue<string>() == "queued" ? true : null);
        var log = await engine.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT status FROM operator_status_log WHERE operator_id = @bobId ORDER BY at", new { bobId }), CancellationToken.None);
        Assert.Equal(["online", "offline"], log);
    }

    [Fact]
    public async Task Hold_message_reaches_the_client_and_timers_survive_a_restart()
    {
        var dataDir = TestDatabases.NewTempDir();
        try
        {
            string dialogId;
            string conversationId;
            await using (var engine = await EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir, "--Timers:PollInterval=00:00:00.200"], keepData: true))
            {
                using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
                var settings = await admin.PutAsJsonAsync("/api/v1/call-centres/default", new
                {
                    timers = new
                    {
                        holdPatterns = new[] { "Минуту, уточняю" },
                        holdOperatorTimeout = "00:00:01",
                        holdOperatorMessage = "Спасибо за ожидание, оператор скоро вернётся.",
                        clientAutoCloseAfter = "00:00:04",
                        clientAutoCloseMessage = "Диалог закрыт, так как вы не ответили.",
                    },
                });
                Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
                await OperatorSteps.SetStatusAsync(admin, "online");
                using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
                conversationId = chat.ConversationId;
                await chat.SendAsync("Позовите оператора");
                var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
                var dialog = await HeldByAsync(admin, adminId);
                dialogId = dialog["id"]!.GetValue<string>();

                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Минуту, уточняю" })).StatusCode);
                await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Спасибо за ожидание, оператор скоро вернётся.", TimeSpan.FromSeconds(15));

                // A normal message starts the client timeout; the engine stops before it fires.
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Ваша карта разблокирована." })).StatusCode);
            }

            await using var restarted = await EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir, "--Timers:PollInterval=00:00:00.200"], keepData: true);
            using var api = restarted.OperatorClient(await restarted.OperatorTokenAsync());
            await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() == "closed" ? true : null,
                TimeSpan.FromSeconds(20));
            var texts = await restarted.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryAsync<string>(
                "SELECT text FROM messages WHERE dialog_id = @dialogId AND direction = 'out'", new { dialogId }), CancellationToken.None);
            Assert.Contains("Диалог закрыт, так как вы не ответили.", texts);
        }
        finally
        {
            TestDatabases.TryDelete(dataDir);
        }
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_waiting_client_hears_again_when_its_place_changes_and_not_while_nothing_changes(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage, "--QueueNotices:PollInterval=00:00:00.200");
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        // No minimum gap between notices: only a change of place or estimate decides.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { queueNoticeInterval = "00:00:00" })).StatusCode);
        using var first = await DirectLineClient.StartAsync(engine.BaseUri);
        await first.SendAsync("Позовите оператора", userId: "first");
        await first.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 1.", StringComparison.Ordinal) == true);
        using var second = await DirectLineClient.StartAsync(engine.BaseUri);
        await second.SendAsync("Позовите оператора", userId: "second");
        await second.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 2.", StringComparison.Ordinal) == true);

        // Nobody is online and nobody moved: however often the loop looks, nobody is told again.
        var loop = engine.Services.GetRequiredService<BotEngine.Engine.Desk.QueueNoticeLoop>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await loop.RefreshAsync(timeout.Token));
        Assert.Equal(0, await loop.RefreshAsync(timeout.Token));

        // An operator with one slot takes the first client: the second moves up and hears its new place, with an
        // estimate now that there is an operator for it and an assignment in the last hour (one an hour: 60 min).
        await OperatorSteps.CreateOperatorAsync(admin, "olga", maxDialogs: 1);
        using var olga = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        await OperatorSteps.SetStatusAsync(olga, "online");
        var moved = await second.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 1.", StringComparison.Ordinal) == true);
        Assert.Equal("Вы в очереди: 1. Примерное время ожидания — 60 мин.", DirectLineClient.Text(moved));
        Assert.Equal(0, await loop.RefreshAsync(timeout.Token));
        await second.PollAsync();
        Assert.Equal(2, second.Received.Count(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди", StringComparison.Ordinal) == true));
        await first.PollAsync();
        Assert.DoesNotContain(first.Received, a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 1. Примерное", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Monitoring_shows_each_waiting_client_its_place_and_estimate(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        using var first = await DirectLineClient.StartAsync(engine.BaseUri);
        await first.SendAsync("Позовите оператора", userId: "first");
        await first.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 1.", StringComparison.Ordinal) == true);
        using var second = await DirectLineClient.StartAsync(engine.BaseUri);
        await second.SendAsync("I want to talk to a human operator", userId: "second");
        await second.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("You are number", StringComparison.Ordinal) == true);
        using var third = await DirectLineClient.StartAsync(engine.BaseUri);
        await third.SendAsync("Позовите оператора", userId: "third");
        await third.WaitForBotAsync(a => DirectLineClient.Text(a)?.StartsWith("Вы в очереди: 2.", StringComparison.Ordinal) == true);
        await OperatorSteps.CreateOperatorAsync(admin, "anna", languages: ["ru"]);

        var monitoring = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!;
        Assert.Equal(3, monitoring["queueLength"]!.GetValue<int>());
        var waiting = monitoring["waiting"]!.AsArray().Select(w => w!.AsObject()).ToList();
        // Places count the dialogs ahead in the same language; nobody online means no estimate.
        Assert.Equal([("ru", 1), ("en", 1), ("ru", 2)], waiting.Select(w => (w["language"]!.GetValue<string>(), w["position"]!.GetValue<int>())));
        Assert.All(waiting, w => Assert.Null(w["estimatedWaitSeconds"]));
        Assert.Empty(monitoring["operators"]!.AsArray()); // anna is offline and holds nothing
        Assert.Equal(0, monitoring["dialogsWithBot"]!.GetValue<int>());
        Assert.Empty(monitoring["botDialogs"]!.AsArray());
    }

    [Fact]
    public async Task Positions_apply_their_permissions_and_routing_to_new_operators()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var saved = await admin.PutAsJsonAsync("/api/v1/positions/senior", new
        {
            permissions = new[] { "view_client", "view_monitoring", "modify_user_dissatisfaction" },
            languages = new[] { "ru", "en" },
            lines = new[] { "cards" },
            maxDialogs = 5,
        });
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/positions/bad", new { permissions = new[] { "fly" } })).StatusCode);
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "vera", password = "password-vera", position = "senior" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vera = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(5, vera["maxDialogs"]!.GetValue<int>());
        Assert.Contains("view_monitoring", vera["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["cards"], vera["routing"]!["lines"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/operators", new { login = "x1", password = "password-x1", position = "nope" })).StatusCode);
    }

    private static Task<JsonObject> HeldByAsync(HttpClient api, string operatorId) =>
        Eventually.WaitAsync(async () =>
        {
            var list = await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned,active&operatorId={operatorId}");
            return list!.Count > 0 ? list[0]!.AsObject() : null;
        });

    private static async Task<JsonObject> GetDialogAsync(HttpClient api, JsonObject dialog) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialog["id"]}"))!;

    private static async Task<List<string>> EventsAsync(EngineHost engine, string dialogId) =>
        (await engine.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT kind FROM dialog_events WHERE dialog_id = @dialogId ORDER BY at", new { dialogId }), CancellationToken.None)).AsList();
}
