using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Tests;

/// <summary>
/// A turn that throws is retried with backoff and then parked: the client is told, the dialog goes to the operators'
/// queue, monitoring shows the failure, and the rest of the conversation is processed. Before, the message was
/// retried every 5 s forever and nothing later in its conversation was answered.
/// </summary>
public sealed class PoisonTurnTests
{
    private const string ApologyEn = "Sorry, I could not process your message. I am passing the conversation to an operator.";
    private const string ApologyRu = "Извините, не получилось обработать ваше сообщение. Передаю диалог оператору.";

    private static readonly string[] FastRetries =
        ["--Turns:MaxAttempts=3", "--Turns:RetryBaseDelay=00:00:00.100", "--Turns:RecoveryInterval=00:00:00.100"];

    [Theory]
    [InlineData(StorageKind.Sqlite, "en")]
    [InlineData(StorageKind.Postgres, "ru")]
    public async Task A_turn_that_keeps_throwing_is_parked_and_the_conversation_moves_on(StorageKind storage, string language)
    {
        var fault = new FaultInjection { Fails = (text, _) => text.Contains("poison", StringComparison.Ordinal) };
        await using var engine = await EngineHost.StartAsync(storage, fault.Into, FastRetries);
        using var client = await DirectLineClient.StartAsync(engine.BaseUri);
        var poisoned = await client.SendAsync(language == "en" ? "poison: how do I block my card" : "poison: как заблокировать карту");
        var next = await client.SendAsync(language == "en" ? "and one more question" : "и ещё один вопрос");

        var apology = await client.WaitForBotAsync(a => DirectLineClient.Text(a) == (language == "en" ? ApologyEn : ApologyRu));
        Assert.Equal(poisoned, apology["replyToId"]?.GetValue<string>());
        Assert.Equal(3, fault.Failures);

        // The later message is processed (not retried behind the parked one), and the dialog waits for an operator.
        var database = engine.Services.GetRequiredService<Database>();
        await Eventually.WaitAsync(async () => await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = @ConversationId AND direction = 'in' AND processed_at IS NULL",
            new { client.ConversationId }), CancellationToken.None) == 0 ? true : null);
        var dialogId = await database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT dialog_id FROM messages WHERE id = @next", new { next }), CancellationToken.None);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal("queued", (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());

        // Monitoring shows the failure once, and the parked-turns API lists the message.
        var monitoring = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!;
        var error = Assert.Single(monitoring["errors"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "turn")!;
        Assert.Equal(poisoned, error["subject"]!.GetValue<string>());
        Assert.Contains("injected fault", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var parked = Assert.Single((await admin.GetFromJsonAsync<JsonArray>("/api/v1/parked-turns"))!)!;
        Assert.Equal(poisoned, parked["messageId"]!.GetValue<string>());
        Assert.Equal(3, parked["attempts"]!.GetValue<int>());
        Assert.Contains("injected fault", parked["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        // Listing needs view_monitoring, replaying modify_configuration.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators",
            new { login = "watcher", password = "password-watcher", displayName = "Watcher", permissions = new[] { "view_monitoring" } })).StatusCode);
        using var watcher = engine.OperatorClient(await engine.OperatorTokenAsync("watcher", "password-watcher"));
        Assert.Single((await watcher.GetFromJsonAsync<JsonArray>("/api/v1/parked-turns"))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await watcher.PostAsync($"/api/v1/parked-turns/{poisoned}/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.GetAsync("/api/v1/parked-turns")).StatusCode);
        var unknown = await admin.PostAsync("/api/v1/parked-turns/no-such-message/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("messageId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/parked-turns?limit=0")).StatusCode);

        // Routing follows: an operator going online gets the dialog; handed back to the bot after the cause is
        // fixed, a replay runs the parked message's turn again and the bot answers it.
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() == "assigned" ? true : null);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/dialogs/{dialogId}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/transfer", new { toBot = true })).StatusCode);
        fault.Fails = (_, _) => false;
        var replay = await admin.PostAsync($"/api/v1/parked-turns/{poisoned}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == poisoned && DirectLineClient.Text(a) != apology["text"]!.GetValue<string>());
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/v1/parked-turns"))!);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/parked-turns/{poisoned}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task A_plan_that_throws_before_its_message_is_stored_counts_as_the_first_run()
    {
        var fault = new FaultInjection { Fails = (text, _) => text.Contains("poison", StringComparison.Ordinal) };
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, fault.Into, FastRetries);
        using var client = await DirectLineClient.StartAsync(engine.BaseUri);
        var opening = await client.SendAsync("how do I block my card");
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == opening);

        // The dialog is open, so this message's turn is planned with its hint, before the write: that plan throws.
        var poisoned = await client.SendAsync("poison: and how do I open a deposit");
        var apology = await client.WaitForBotAsync(a => DirectLineClient.Text(a) == ApologyEn);
        Assert.Equal(poisoned, apology["replyToId"]?.GetValue<string>());
        Assert.Equal(3, fault.Failures);
        var row = await engine.Services.GetRequiredService<Database>().ReadAsync(c => c.QuerySingleAsync<StoredMessage>(
            "SELECT * FROM messages WHERE id = @poisoned", new { poisoned }), CancellationToken.None);
        Assert.Equal(3, row.TurnAttempts);
        Assert.NotNull(row.ParkedAt);
    }

    [Fact]
    public async Task A_turn_that_fails_a_few_times_is_retried_with_backoff_and_later_messages_keep_their_order()
    {
        var fault = new FaultInjection { Fails = (text, failures) => text.Contains("flaky", StringComparison.Ordinal) && failures < 2 };
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, fault.Into,
            "--Turns:MaxAttempts=5", "--Turns:RetryBaseDelay=00:00:00.400", "--Turns:RecoveryInterval=00:00:00.050");
        using var client = await DirectLineClient.StartAsync(engine.BaseUri);
        var first = await client.SendAsync("flaky: how do I block my card");
        var second = await client.SendAsync("what about a money transfer");

        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == second);
        var order = client.Received.Select(a => a["replyToId"]?.GetValue<string>()).Where(id => id == first || id == second).Distinct().ToList();
        Assert.Equal([first, second], order);

        // Two failures, the second retry after twice the first wait (the sweep runs every 50 ms, so it does not set the pace).
        Assert.Equal(2, fault.Failures);
        var gap = fault.FailedAt[1] - fault.FailedAt[0];
        Assert.True(gap >= TimeSpan.FromMilliseconds(380), $"the first retry came after {gap.TotalMilliseconds} ms");
        var row = await engine.Services.GetRequiredService<Database>().ReadAsync(c => c.QuerySingleAsync<StoredMessage>(
            "SELECT * FROM messages WHERE id = @first", new { first }), CancellationToken.None);
        Assert.Equal(3, row.TurnAttempts); // runs: two failed, the third answered
        Assert.Contains("injected fault", row.TurnError, StringComparison.Ordinal);
        Assert.Null(row.ParkedAt);
        Assert.NotNull(row.ProcessedAt);
        Assert.DoesNotContain(client.Received, a => DirectLineClient.Text(a) == ApologyEn);
    }

    [Fact]
    public async Task Attempt_counts_survive_a_restart()
    {
        var dataDir = TestDatabases.NewTempDir();
        try
        {
            var fault = new FaultInjection { Fails = (text, _) => text.Contains("poison", StringComparison.Ordinal) };
            string[] args = ["--data-dir", dataDir, "--Turns:MaxAttempts=3", "--Turns:RetryBaseDelay=00:00:00.300", "--Turns:RecoveryInterval=00:00:00.100"];
            string conversationId, poisoned;
            await using (var engine = await EngineHost.StartAsync(StorageKind.Sqlite, fault.Into, args, keepData: true))
            {
                using var client = await DirectLineClient.StartAsync(engine.BaseUri);
                conversationId = client.ConversationId;
                poisoned = await client.SendAsync("poison: how do I block my card");
                await Eventually.WaitAsync(() => Task.FromResult<bool?>(fault.Failures >= 1 ? true : null));
            }
            var before = fault.Failures;
            Assert.True(before is 1 or 2, $"{before} failures before the restart");

            await using (var engine = await EngineHost.StartAsync(StorageKind.Sqlite, fault.Into, args, keepData: true))
            {
                var database = engine.Services.GetRequiredService<Database>();
                var row = await Eventually.WaitAsync(() => database.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredMessage>(
                    "SELECT * FROM messages WHERE id = @poisoned AND parked_at IS NOT NULL", new { poisoned }), CancellationToken.None));
                Assert.Equal(3, row.TurnAttempts);
                Assert.Equal(3, fault.Failures); // not three more after the restart
                Assert.Equal(1, await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM messages WHERE conversation_id = @conversationId AND author = 'system' AND text = @ApologyEn",
                    new { conversationId, ApologyEn }), CancellationToken.None));
            }
        }
        finally
        {
            TestDatabases.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task A_message_whose_claimed_runs_never_finished_is_parked_without_running_again()
    {
        var fault = new FaultInjection { Fails = (text, _) => text.Contains("poison", StringComparison.Ordinal) };
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, fault.Into,
            "--Turns:MaxAttempts=3", "--Turns:RetryBaseDelay=00:10:00", "--Turns:RetryMaxDelay=00:10:00", "--Turns:RecoveryInterval=00:00:00.100");
        using var client = await DirectLineClient.StartAsync(engine.BaseUri);
        var poisoned = await client.SendAsync("poison: how do I block my card");
        await Eventually.WaitAsync(() => Task.FromResult<bool?>(fault.Failures == 1 ? true : null));

        // As if two claimed retries had each killed the engine: the count is at the limit and the lease has lapsed.
        var database = engine.Services.GetRequiredService<Database>();
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE messages SET turn_attempts = 3, turn_next_at = 0 WHERE id = @poisoned", new { poisoned }, t), CancellationToken.None);

        await client.WaitForBotAsync(a => DirectLineClient.Text(a) == ApologyEn);
        Assert.Equal(1, fault.Failures);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var parked = Assert.Single((await admin.GetFromJsonAsync<JsonArray>("/api/v1/parked-turns"))!)!;
        Assert.Equal(3, parked["attempts"]!.GetValue<int>());
        Assert.Contains("did not finish", parked["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_claimed_by_one_node_does_not_run_on_the_other_and_is_parked_once()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            // Slow failures (300 ms each) and sweeps every 50 ms on both nodes: without a claim, both would run each retry.
            var fault = new FaultInjection { Fails = (text, _) => text.Contains("poison", StringComparison.Ordinal), Hold = TimeSpan.FromMilliseconds(300) };
            string[] args = ["--Turns:MaxAttempts=4", "--Turns:RetryBaseDelay=00:00:00.100", "--Turns:RecoveryInterval=00:00:00.050", "--Turns:RecoverAfter=00:00:02"];
            await using var first = await EngineHost.StartOnPostgresAsync(connectionString, fault.Into, args);
            await using var second = await EngineHost.StartOnPostgresAsync(connectionString, fault.Into, args);
            using var client = await DirectLineClient.StartAsync(first.BaseUri);
            var poisoned = await client.SendAsync("poison: how do I block my card");

            await client.WaitForBotAsync(a => DirectLineClient.Text(a) == ApologyEn);
            // Parked: marked processed with the apology, so neither node runs it again.
            await TurnWaits.ProcessedAsync(first.Services, poisoned);
            await client.PollAsync();
            Assert.Single(client.Received, a => DirectLineClient.Text(a) == ApologyEn);
            Assert.Equal(4, fault.Failures);
            Assert.Equal(1, fault.MaxConcurrent);
            var database = first.Services.GetRequiredService<Database>();
            Assert.Equal(1, await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM processing_errors WHERE kind = 'turn' AND subject = @poisoned", new { poisoned }), CancellationToken.None));
            Assert.Equal(4, await database.ReadAsync(c => c.ExecuteScalarAsync<int>(
                "SELECT turn_attempts FROM messages WHERE id = @poisoned", new { poisoned }), CancellationToken.None));
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task A_catastrophic_slot_pattern_asks_again_instead_of_blocking_the_conversation()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(admin, "/api/v1/kb/slots", """
            { "id": "code", "name": "Code", "type": "regexExtract", "pattern": "^(a+)+$",
              "question": { "text": "Enter the code" }, "hint": "The code is letters a only." }
            """)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(admin, "/api/v1/kb/articles", """
            { "id": "code_check", "title": "Code check", "questions": ["check my code"], "slots": ["code"],
              "answers": [ { "text": "Code {{code}} accepted." } ] }
            """)).StatusCode);
        var refused = await PostJsonAsync(admin, "/api/v1/kb/slots", """
            { "id": "broken", "name": "Broken", "type": "regexMatch", "kind": "hidden", "pattern": "(a" }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("pattern", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var client = await DirectLineClient.StartAsync(engine.BaseUri);
        var ask = await client.SendAsync("check my code");
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == ask && DirectLineClient.Text(a) == "Enter the code");
        var hostile = await client.SendAsync(new string('a', 40) + "!");
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == hostile && DirectLineClient.Text(a) == "Enter the code", TimeSpan.FromSeconds(10));
        var good = await client.SendAsync("aaaa");
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == good && DirectLineClient.Text(a) == "Code aaaa accepted.");
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public void A_stored_value_that_names_a_field_twice_is_read_not_thrown()
    {
        // The message: {"value":{"article":"a","article":"b"}} threw inside the turn on every retry.
        var activity = ActivityJson.Deserialize("""{"type":"message","text":"x","value":{"article":"a","article":"b","payload":"p"}}""");
        Assert.Equal("b", BotResponder.ValueField(activity, "article"));
        Assert.Equal("p", BotResponder.ValueField(activity, "payload"));
        Assert.Null(BotResponder.ValueField(activity, "missing"));
        var plain = ActivityJson.Deserialize("""{"type":"message","value":{"article":"card","n":1}}""");
        Assert.Equal("card", BotResponder.ValueField(plain, "article"));
        Assert.Null(BotResponder.ValueField(plain, "n"));
    }

    [Fact]
    public async Task Turn_settings_are_validated()
    {
        Assert.Null(BotEngine.Engine.Pipeline.TurnOptions.Problem(new()));
        Assert.Null(BotEngine.Engine.Pipeline.TurnOptions.Problem(new() { PlanAheadBudget = TimeSpan.Zero }));
        Assert.Contains("PlanAheadBudget", BotEngine.Engine.Pipeline.TurnOptions.Problem(new() { PlanAheadBudget = TimeSpan.FromMinutes(2) }), StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", BotEngine.Engine.Pipeline.TurnOptions.Problem(new() { MaxAttempts = 0 }), StringComparison.Ordinal);
        Assert.Contains("RetryMaxDelay", BotEngine.Engine.Pipeline.TurnOptions.Problem(
            new() { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromSeconds(1) }), StringComparison.Ordinal);
        var dataDir = TestDatabases.NewTempDir();
        var app = BotApp.Build(["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--Turns:MaxAttempts=0"]);
        try
        {
            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Turns:MaxAttempts", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            TestDatabases.TryDelete(dataDir);
        }
    }
}
