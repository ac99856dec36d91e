using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Conversations;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Workplace;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Workplace;

/// <summary>
/// The workplace's second part (issue 14) on the in-process engine with the fake clock: presence (an operator whose
/// page is gone goes offline after Presence:Timeout, signing out sets offline), queue nudges on the event stream for
/// operators, the topic kept on the server, the send-key preference, starting a dialog with a client, a KB scenario
/// started by the operator that comes back to them, and inline previews of real PDFs.
/// </summary>
public sealed class WorkplaceFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task An_operator_whose_page_is_gone_goes_offline_after_the_timeout_and_their_dialog_returns_to_the_queue(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var (anna, annaId) = await OnlineOperatorAsync(engine, admin, "anna");
        using var _ = anna;
        var presence = engine.Services.GetRequiredService<PresenceStore>();
        var loop = engine.Services.GetRequiredService<PresenceLoop>();

        // The page's event stream is its presence: noted on connecting.
        var client = engine.Client();
        using (var stream = await EventStream.OpenAsync(anna))
        {
            Assert.Equal(TimeExtensions.ToMicros(engine.Clock.GetUtcNow()), await presence.SeenAtAsync(annaId, CancellationToken.None));
            await client.SendAsync("Позовите оператора");
            await engine.WaitAsync(async () => (await client.DialogAsync()).OperatorId == annaId, "the dialog offered to anna");
            // The browser is closed: the stream ends.
        }
        engine.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await loop.ExpireAsync(CancellationToken.None));
        Assert.Equal("online", await StatusAsync(admin, annaId));

        // Past Presence:Timeout (2 minutes) the loop, waking on the fake clock, takes her offline and returns the dialog.
        engine.Advance(TimeSpan.FromSeconds(61));
        await engine.WaitAsync(async () => await StatusAsync(admin, annaId) == "offline", "anna offline after the presence timeout", nudge: TimeSpan.FromSeconds(15));
        await engine.WaitAsync(async () => (await client.DialogAsync()).State == DialogStates.Queued, "the dialog back in the queue");
        Assert.Contains("requeued", await engine.DialogEventsAsync(client.DialogId!));
        Assert.Null(await presence.SeenAtAsync(annaId, CancellationToken.None));

        // Heartbeats (POST operators/me/presence) keep an operator online however long they are away from the stream.
        await OperatorSteps.SetStatusAsync(anna, "online");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await anna.PostAsync("/api/v1/operators/me/presence", null)).StatusCode);
            engine.Advance(TimeSpan.FromSeconds(90));
            Assert.Empty(await loop.ExpireAsync(CancellationToken.None));
        }
        Assert.Equal("online", await StatusAsync(admin, annaId));
        engine.Advance(TimeSpan.FromSeconds(31));
        await engine.WaitAsync(async () => await StatusAsync(admin, annaId) == "offline", "anna offline once the heartbeats stop", nudge: TimeSpan.FromSeconds(15));

        // Signing out sets offline at once, and an operator who never opened a page (an API integration) is left alone.
        await OperatorSteps.SetStatusAsync(anna, "online");
        Assert.Equal(HttpStatusCode.NoContent, (await anna.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal("offline", await StatusAsync(admin, annaId));
        await OperatorSteps.SetStatusAsync(admin, "online");
        engine.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await loop.ExpireAsync(CancellationToken.None));
        Assert.Equal("online", await StatusAsync(admin, await IdAsync(admin)));
    }

    [Fact]
    public async Task A_page_whose_end_is_noticed_after_its_operator_timed_out_does_not_bring_the_presence_back()
    {
        // The server may notice a closed stream late: by then the operator may have been timed out and forgotten.
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var (anna, annaId) = await OnlineOperatorAsync(engine, admin, "anna");
        using var _ = anna;
        var presence = engine.Services.GetRequiredService<PresenceStore>();
        await presence.TouchAsync(annaId, TimeExtensions.ToMicros(engine.Clock.GetUtcNow()), CancellationToken.None);
        engine.Advance(TimeSpan.FromMinutes(3));
        await engine.WaitAsync(async () => await StatusAsync(admin, annaId) == "offline", "anna timed out", nudge: TimeSpan.FromSeconds(15));
        Assert.Null(await presence.SeenAtAsync(annaId, CancellationToken.None));

        await presence.LeftAsync(annaId, TimeExtensions.ToMicros(engine.Clock.GetUtcNow()), CancellationToken.None);
        Assert.Null(await presence.SeenAtAsync(annaId, CancellationToken.None));
    }

    [Fact]
    public async Task An_operator_without_supervisor_rights_gets_a_queue_nudge_naming_no_dialog()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.CreateOperatorAsync(admin, "boris");
        using var boris = await engine.OperatorAsync("boris");
        using var stream = await EventStream.OpenAsync(boris);

        // Nobody is online: the dialog waits in the queue, and boris's page hears that the queue changed.
        var client = engine.Client();
        await client.SendAsync("Позовите оператора");
        var data = await stream.NextDataAsync();
        Assert.Equal("{\"type\":\"queue\"}", data);
        Assert.Equal(DialogStates.Queued, (await client.DialogAsync()).State);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task The_topic_is_kept_on_the_server_with_the_classifiers_guess_first_and_the_send_key_is_a_stored_preference(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.CreateOperatorAsync(admin, "anna");
        await OperatorSteps.CreateOperatorAsync(admin, "boris");
        using var anna = await engine.OperatorAsync("anna");
        using var boris = await engine.OperatorAsync("boris");
        var annaId = await IdAsync(anna);
        await OperatorSteps.SetStatusAsync(anna, "online");
        var client = engine.Client();
        await client.SendAsync("Позовите оператора");
        await engine.WaitAsync(async () => (await client.DialogAsync()).OperatorId == annaId, "the dialog offered to anna");
        var dialogId = client.DialogId!;

        // Until a topic is chosen, the card suggests the topic of the article the classifier picks for the client's words.
        var card = (await anna.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!;
        Assert.Null(card["topic"]);
        Assert.Equal(await ExpectedTopicAsync(admin, "Позовите оператора"), card["suggestedTopic"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await anna.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/topic", new { topic = "Кредиты" })).StatusCode);
        card = (await anna.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!;
        Assert.Equal("Кредиты", card["topic"]!.GetValue<string>());
        Assert.Null(card["suggestedTopic"]);
        await KbApiTests.AssertProblemAsync(await anna.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/topic", new { topic = new string('т', 201) }), HttpStatusCode.BadRequest, "topic:");
        await KbApiTests.AssertProblemAsync(await anna.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/topic", new { }), HttpStatusCode.BadRequest, "topic:");
        await KbApiTests.AssertProblemAsync(await boris.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/topic", new { topic = "Карты" }), HttpStatusCode.Conflict, "not one you hold");
        Assert.Equal(HttpStatusCode.NotFound, (await anna.PostAsJsonAsync("/api/v1/dialogs/nope/topic", new { topic = "Карты" })).StatusCode);
        Assert.Equal("Кредиты", (await anna.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!["topic"]!.GetValue<string>());

        // The send key: Enter until chosen, stored per operator, anything else refused.
        Assert.Equal("enter", (await anna.GetFromJsonAsync<JsonObject>("/api/v1/operators/me/preferences"))!["sendKey"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anna.PutAsJsonAsync("/api/v1/operators/me/preferences", new { sendKey = "ctrl_enter" })).StatusCode);
        Assert.Equal("ctrl_enter", (await anna.GetFromJsonAsync<JsonObject>("/api/v1/operators/me/preferences"))!["sendKey"]!.GetValue<string>());
        Assert.Equal("enter", (await boris.GetFromJsonAsync<JsonObject>("/api/v1/operators/me/preferences"))!["sendKey"]!.GetValue<string>());
        await KbApiTests.AssertProblemAsync(await anna.PutAsJsonAsync("/api/v1/operators/me/preferences", new { sendKey = "alt_enter" }), HttpStatusCode.BadRequest, "sendKey:");
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task An_operator_starts_a_dialog_with_a_client_who_gets_the_message_and_refusals_name_the_problem(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var adminId = await IdAsync(admin);
        var client = engine.Client();
        await client.SendAsync("Здравствуйте");
        await client.NextReplyAsync();
        var dialog = await client.DialogAsync();
        var start = new { clientId = dialog.ClientId, conversationId = client.ConversationId, text = "Добрый день! Ваша карта готова." };

        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", start), HttpStatusCode.Conflict, "Go online");
        await OperatorSteps.SetStatusAsync(admin, "online");
        // The client still talks to the bot: one open dialog at a time.
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", start), HttpStatusCode.Conflict, "already has an open dialog");
        await engine.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE dialogs SET state = 'closed', closed_at = 1 WHERE id = @Id", new { dialog.Id }, t), CancellationToken.None);

        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", new { clientId = dialog.ClientId, text = "" }), HttpStatusCode.BadRequest, "text:");
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", new { text = "x" }), HttpStatusCode.BadRequest, "clientId:");
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", new { clientId = "nobody", text = "x" }), HttpStatusCode.NotFound, "clientId:");
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", new { clientId = dialog.ClientId, conversationId = "someone-else", text = "x" }),
            HttpStatusCode.BadRequest, "conversationId:");
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", new { clientId = dialog.ClientId, text = "x", language = "de" }), HttpStatusCode.BadRequest, "language:");

        var created = await admin.PostAsJsonAsync("/api/v1/dialogs", start);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var dialogId = body["dialogId"]!.GetValue<string>();
        Assert.Equal(start.text, body["message"]!["text"]!.GetValue<string>());
        var stored = await engine.DialogAsync(dialogId);
        Assert.Equal((DialogStates.Active, adminId, client.ConversationId), (stored.State, stored.OperatorId, stored.ConversationId));
        await client.ReplyMatchingAsync(r => r.Text == start.text && r.Author == "operator", "the operator's first message on the client's chat");
        // The workplace lists it among the operator's dialogs, and the client's answer goes to the operator, not the bot.
        var list = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/workplace/dialogs"))!;
        Assert.Contains(list["mine"]!.AsArray(), d => d!["id"]!.GetValue<string>() == dialogId);
        await client.SendAsync("Спасибо, заберу завтра");
        Assert.Equal(dialogId, client.DialogId);
        Assert.Equal(DialogStates.Active, (await engine.DialogAsync(dialogId)).State);
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/dialogs", start), HttpStatusCode.Conflict, "already has an open dialog");
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_survey_started_by_the_operator_is_run_by_the_bot_and_the_dialog_comes_back_to_that_operator(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.CreateOperatorAsync(admin, "anna");
        using var anna = await engine.OperatorAsync("anna");
        var annaId = await IdAsync(anna);
        await OperatorSteps.SetStatusAsync(anna, "online");
        var client = engine.Client();
        await client.SendAsync("Позовите оператора");
        await engine.WaitAsync(async () => (await client.DialogAsync()).OperatorId == annaId, "the dialog offered to anna");
        var dialogId = client.DialogId!;

        // Only an accepted dialog of one's own, and only an article with questions.
        await KbApiTests.AssertProblemAsync(await anna.PostAsync($"/api/v1/dialogs/{dialogId}/scenarios/card_block_form_ru", null), HttpStatusCode.Conflict, "not an accepted dialog");
        Assert.Equal(HttpStatusCode.NoContent, (await anna.PostAsync($"/api/v1/dialogs/{dialogId}/accept", null)).StatusCode);
        await KbApiTests.AssertProblemAsync(await anna.PostAsync($"/api/v1/dialogs/{dialogId}/scenarios/card_lost_ru", null), HttpStatusCode.BadRequest, "no question");
        await KbApiTests.AssertProblemAsync(await anna.PostAsync($"/api/v1/dialogs/{dialogId}/scenarios/nope", null), HttpStatusCode.NotFound, "articleId:");

        Assert.Equal(HttpStatusCode.NoContent, (await anna.PostAsync($"/api/v1/dialogs/{dialogId}/scenarios/card_block_form_ru", null)).StatusCode);
        Assert.Equal(DialogStates.Bot, (await engine.DialogAsync(dialogId)).State);
        await client.ReplyMatchingAsync(r => r.Text!.StartsWith("Введите последние 4 цифры", StringComparison.Ordinal), "the survey's first question");
        await client.SendAsync("4321");
        await client.ReplyMatchingAsync(r => r.Text == "Что случилось с картой?", "the second question");
        await client.SendAsync("потерял");
        await client.ReplyMatchingAsync(r => r.Text!.Contains("•• 4321 принята", StringComparison.Ordinal), "the article's answer with the collected value");
        // The scenario is over: the dialog goes back to anna (her slot is free), with the answers on the card.
        await engine.WaitAsync(async () => await engine.DialogAsync(dialogId) is { State: DialogStates.Assigned or DialogStates.Active } d && d.OperatorId == annaId,
            "the dialog back with anna");
        // The client's last answer handed the dialog back by design: it is not a miss for the labelling inbox.
        var lastAnswer = client.LastSentId;
        Assert.Equal(0L, await engine.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM bot_misses WHERE message_id = @lastAnswer", new { lastAnswer }), CancellationToken.None));
        var slots = (await anna.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!["slots"]!.AsObject();
        Assert.Equal("4321", slots["card_last4_ru"]!.GetValue<string>());
        Assert.Equal("lost", slots["block_reason_ru"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_real_pdf_is_previewed_inline_only_when_asked_and_a_fake_one_stays_a_download()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        var path = await UploadAsync(admin, "выписка.pdf", "application/pdf", pdf);

        var download = await engine.Http.GetAsync(path);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        var preview = await engine.Http.GetAsync(path + "?preview=1");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("inline", preview.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("application/pdf", preview.Content.Headers.ContentType!.MediaType);
        Assert.Equal(pdf, await preview.Content.ReadAsByteArrayAsync());
        var csp = preview.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("sandbox", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", preview.Headers.GetValues("X-Content-Type-Options").Single());

        // A page that calls itself a PDF is never shown inline.
        var fake = await UploadAsync(admin, "счёт.pdf", "application/pdf", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"));
        Assert.Equal("attachment", (await engine.Http.GetAsync(fake + "?preview=1")).Content.Headers.ContentDisposition!.DispositionType);
    }

    private static async Task<string> UploadAsync(HttpClient client, string name, string type, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(part, "file", name);
        var response = await client.PostAsync("/api/v1/files", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["path"]!.GetValue<string>();
    }

    /// <summary>The topic the engine should guess: the first topic of the classifier's top article for the text, by name.</summary>
    private static async Task<string> ExpectedTopicAsync(HttpClient admin, string text)
    {
        var classified = await admin.PostAsJsonAsync("/api/v1/nlu/classify", new { text });
        var intent = (await classified.Content.ReadFromJsonAsync<JsonObject>())!["intents"]!.AsArray()[0]!["intent"]!.GetValue<string>();
        var article = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/kb/articles/{intent}"))!;
        var topicId = article["topics"]!.AsArray()[0]!.GetValue<string>();
        var topics = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/kb/topics"))!;
        return topics.Single(t => t!["id"]!.GetValue<string>() == topicId)!["name"]!.GetValue<string>();
    }

    private static async Task<string> StatusAsync(HttpClient admin, string operatorId) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["id"]!.GetValue<string>() == operatorId)!["status"]!.GetValue<string>();

    /// <summary>A new operator, signed in and online.</summary>
    private static async Task<(HttpClient Client, string Id)> OnlineOperatorAsync(FlowEngine engine, HttpClient admin, string login)
    {
        await OperatorSteps.CreateOperatorAsync(admin, login);
        var client = await engine.OperatorAsync(login);
        await OperatorSteps.SetStatusAsync(client, "online");
        return (client, await IdAsync(client));
    }

    private static async Task<string> IdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
}
