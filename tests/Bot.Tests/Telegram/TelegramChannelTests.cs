using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Channels.Telegram;
using BotEngine.Engine.Files;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Telegram;

/// <summary>The Telegram channel end to end: the engine's Telegram.Bot client against a Bot API on a loopback port.</summary>
public sealed class TelegramChannelTests
{
    private const long Chat = 7001;

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_client_talks_to_the_bot_presses_a_button_sends_a_photo_and_reaches_an_operator(StorageKind storage)
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var saved = await admin.PutAsJsonAsync("/api/v1/channels/shop-bot",
            new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        telegram.UserSends(Chat, "Здравствуйте");
        var greeting = await telegram.WaitForSentAsync(s => s is { Method: "sendMessage", ChatId: Chat } && s.Buttons.Count > 0);
        Assert.Equal("html", greeting.ParseMode?.ToLowerInvariant());

        telegram.UserSends(Chat, "Как мне заблокировать свою карту?");
        var answer = await telegram.WaitForSentAsync(s => s.Method == "sendMessage" && s.Text?.Contains("Заблокировать карту", StringComparison.Ordinal) == true);
        var button = answer.Buttons.First(b => b.Data is not null);
        var before = telegram.Sent.Count;
        telegram.UserPresses(Chat, answer.MessageId, button.Data!);
        var pressed = await telegram.WaitForSentAsync(s => s.Method == "sendMessage" && s.MessageId > answer.MessageId && telegram.Sent.TakeWhile(x => x != s).Count() >= before);
        Assert.NotEqual(answer.Text, pressed.Text);

        var jpeg = Encoding.ASCII.GetBytes("\xFF\xD8\xFF\xE0 a tiny stand-in for a photo");
        telegram.UserSendsPhoto(Chat, jpeg, "Вот фото карты");
        telegram.UserSends(Chat, "Позовите оператора");
        var dialog = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault(d => d["channel"]!.GetValue<string>() == "shop-bot"));
        var dialogId = dialog["id"]!.GetValue<string>();

        // The photo went into the engine's file store, with the client's caption.
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        var photo = messages.OfType<JsonObject>().Single(m => m["text"]?.GetValue<string>() == "Вот фото карты");
        var url = photo["activity"]!["attachments"]![0]!["contentUrl"]!.GetValue<string>();
        var fileId = new Uri(url).Segments[2].TrimEnd('/');
        Assert.Equal(jpeg, await engine.Services.GetRequiredService<FileStore>().ContentAsync(fileId, CancellationToken.None));

        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);
        var reply = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Здравствуйте, Иван! Я **оператор** & помогу." });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        var operatorText = await telegram.WaitForSentAsync(s => s.Text?.Contains("помогу", StringComparison.Ordinal) == true);
        Assert.Equal("Здравствуйте, Иван! Я <b>оператор</b> &amp; помогу.", operatorText.Text);

        // A reply of text and a file is two Telegram messages; a 429 on the file does not send the text twice.
        var upload = new MultipartFormDataContent();
        var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4 tariffs"));
        pdf.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        upload.Add(pdf, "file", "tariffs.pdf");
        var stored = await admin.PostAsync("/api/v1/files", upload);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var pdfId = (await stored.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        telegram.FailNextSends(1, 429, retryAfterSeconds: 1, afterSuccesses: 1);
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Тарифы во вложении", attachments = new[] { pdfId } })).IsSuccessStatusCode);
        var document = await telegram.WaitForSentAsync(s => s.Method == "sendDocument", TimeSpan.FromSeconds(60));
        Assert.Equal("tariffs.pdf", document.File!.FileName);
        Assert.Equal(Encoding.ASCII.GetBytes("%PDF-1.4 tariffs"), document.File.Content);
        Assert.Single(telegram.Sent, s => s.Text == "Тарифы во вложении");

        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Блокировка карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        Assert.Equal("closed", (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());

        var channel = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/shop-bot"))!;
        Assert.NotNull(channel["health"]!["lastInboundAt"]);
        Assert.NotNull(channel["health"]!["lastDeliveredAt"]);
    }

    [Fact]
    public async Task A_question_for_a_phone_offers_Telegrams_share_button_and_the_shared_contact_answers_it()
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var import = await admin.PostAsync("/api/v1/kb/import", new StringContent(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KbFixtures", "out-of-hours.json")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        await admin.PutAsJsonAsync("/api/v1/channels/shop-bot", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl } });

        telegram.UserSends(Chat, "Позовите оператора");
        var question = await telegram.WaitForSentAsync(s => s.Text?.StartsWith("Операторы сейчас не работают", StringComparison.Ordinal) == true);
        var button = question.ReplyMarkup!["keyboard"]![0]![0]!;
        Assert.True(button["request_contact"]!.GetValue<bool>());
        Assert.Contains("номер", button["text"]!.GetValue<string>(), StringComparison.Ordinal);

        telegram.UserSends(Chat, extra: new JsonObject
        {
            ["contact"] = new JsonObject { ["phone_number"] = "79123456789", ["first_name"] = "Иван", ["user_id"] = Chat },
        });
        var thanks = await telegram.WaitForSentAsync(s => s.Text?.StartsWith("Спасибо! Перезвоним", StringComparison.Ordinal) == true);
        Assert.Contains("912", thanks.Text, StringComparison.Ordinal);

        // Telegram vouches for the client's own number: it is in their profile, marked verified.
        var clientId = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.Single()!["clientId"]!.GetValue<string>();
        var profile = await Eventually.WaitAsync(async () =>
        {
            var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
            return card["profile"]!["phone"]?.GetValue<string>() is not null ? card["profile"]!.AsObject() : null;
        });
        Assert.Equal("+79123456789", profile["phone"]!.GetValue<string>());
        Assert.Contains("phone", profile["verified"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_webhook_refuses_a_wrong_secret_and_stores_a_repeated_update_once()
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var saved = await admin.PutAsJsonAsync("/api/v1/channels/hook-bot", new
        {
            type = "telegram",
            settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl, mode = "webhook", webhookSecret = "s3cret-token" },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var path = TelegramWebhook.PathOf("hook-bot");
        var update = new JsonObject
        {
            ["update_id"] = 900,
            ["message"] = new JsonObject
            {
                ["message_id"] = 5,
                ["date"] = 1_700_000_000,
                ["chat"] = new JsonObject { ["id"] = Chat, ["type"] = "private" },
                ["from"] = new JsonObject { ["id"] = Chat, ["is_bot"] = false, ["first_name"] = "Иван" },
                ["text"] = "Как заблокировать карту?",
            },
        };

        foreach (var secret in new[] { null, "wrong", "s3cret-token-but-longer" })
        {
            using var refused = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(update) };
            if (secret is not null)
                refused.Headers.Add(TelegramWebhook.SecretHeader, secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.SendAsync(refused)).StatusCode);
        }
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);

        for (var i = 0; i < 2; i++)
        {
            using var accepted = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(update) };
            accepted.Headers.Add(TelegramWebhook.SecretHeader, "s3cret-token");
            Assert.Equal(HttpStatusCode.OK, (await engine.Http.SendAsync(accepted)).StatusCode);
        }
        await telegram.WaitForSentAsync(s => s.Method == "sendMessage" && s.ChatId == Chat);
        await TurnWaits.AllProcessedAsync(engine.Services);
        var dialogs = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!;
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogs.Single()!["id"]}/messages"))!;
        Assert.Single(messages, m => m!["direction"]!.GetValue<string>() == "in");

        using var garbage = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"update_id\": \"x\"", Encoding.UTF8, "application/json") };
        garbage.Headers.Add(TelegramWebhook.SecretHeader, "s3cret-token");
        Assert.Equal(HttpStatusCode.BadRequest, (await engine.Http.SendAsync(garbage)).StatusCode);
    }

    [Fact]
    public async Task In_a_group_the_bot_answers_only_when_addressed_and_the_group_is_one_dialog_of_two_members()
    {
        const long Group = -1001234567890;
        await using var telegram = await FakeTelegramApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/channels/club-bot",
            new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl } })).StatusCode);

        // Talk between members is not for the bot: nothing is stored, nothing sent.
        telegram.MemberSends(Group, 501, "Анна", "Всем привет! Кто знает, как заблокировать карту?");
        telegram.MemberSends(Group, 502, "Мария", "Спросите у @other_bot");
        telegram.MemberSends(Group, 502, "Мария", "/help@other_bot");
        // A mention of this bot is: the question without the mention is answered in the group.
        telegram.MemberSends(Group, 501, "Анна", "@test_bot как заблокировать карту?");
        var answer = await telegram.WaitForSentAsync(s => s is { Method: "sendMessage", ChatId: Group } && s.Text?.Contains("Заблокировать карту", StringComparison.Ordinal) == true);
        // A reply to the bot's message, from another member, goes on in the same dialog.
        telegram.MemberSends(Group, 502, "Мария", "Позовите оператора", replyToBotMessage: answer.MessageId);
        var dialog = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault(d => d["channel"]!.GetValue<string>() == "club-bot"));
        await TurnWaits.AllProcessedAsync(engine.Services);
        var dialogs = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.OfType<JsonObject>().Where(d => d["channel"]!.GetValue<string>() == "club-bot").ToList();
        Assert.Single(dialogs);
        var incoming = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialog["id"]}/messages"))!.OfType<JsonObject>()
            .Where(m => m["direction"]!.GetValue<string>() == "in").ToList();
        Assert.Equal(["как заблокировать карту?", "Позовите оператора"], incoming.Select(m => m["text"]!.GetValue<string>()));
        Assert.Equal(["Анна", "Мария"], incoming.Select(m => m["activity"]!["from"]!["name"]!.GetValue<string>()));

        // The operator's reply goes to the group; each member is a client account of their own, named, on this bot.
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialog["id"]}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialog["id"]}/messages", new { text = "Здравствуйте! Помогу обеим." })).IsSuccessStatusCode);
        await telegram.WaitForSentAsync(s => s is { Method: "sendMessage", ChatId: Group } && s.Text == "Здравствуйте! Помогу обеим.");
        foreach (var (name, account) in new[] { ("Анна", "501"), ("Мария", "502") })
        {
            var found = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/clients?q=" + Uri.EscapeDataString(name)))!["clients"]!.AsArray();
            var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{Assert.Single(found)!["id"]}"))!;
            Assert.Contains(card["accounts"]!.AsArray(), a => a!["channel"]!.GetValue<string>() == "club-bot" && a["accountId"]!.GetValue<string>() == account);
        }
        // A command naming this bot is for it too, stored without the bot's name.
        telegram.MemberSends(Group, 501, "Анна", "/start@test_bot");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialog["id"]}/messages"))!.Any(m => m!["text"]?.GetValue<string>() == "/start") ? true : (bool?)null);
    }

    [Theory]
    [InlineData(429, "retry after")]
    [InlineData(500, "the fake is down")]
    public async Task A_refused_send_is_retried_later_and_the_message_is_sent_once(int status, string error)
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await admin.PutAsJsonAsync("/api/v1/channels/busy-bot", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl } });
        telegram.FailNextSends(1, status, retryAfterSeconds: 1);

        telegram.UserSends(Chat, "Как заблокировать карту?");
        var answer = await telegram.WaitForSentAsync(s => s.Method == "sendMessage" && s.ChatId == Chat, TimeSpan.FromSeconds(60));
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the outbox sweep's beat: a second copy would have been sent by now
        Assert.Single(telegram.Sent, s => s.Method == "sendMessage" && s.Text == answer.Text);
        var channel = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/busy-bot"))!;
        Assert.Contains(error, channel["health"]!["lastError"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Channel_settings_are_validated_and_credentials_never_come_back(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());

        async Task<string> RefusedAsync(string id, object body)
        {
            var response = await admin.PutAsJsonAsync($"/api/v1/channels/{id}", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("type", await RefusedAsync("a", new { settings = new { } }));
        Assert.Contains("'fax'", await RefusedAsync("a", new { type = "fax" }));
        Assert.Contains("settings.token", await RefusedAsync("a", new { type = "telegram", settings = new { } }));
        Assert.Contains("settings.token", await RefusedAsync("a", new { type = "telegram", settings = new { token = "not a token" } }));
        Assert.Contains("settings.webhookSecret", await RefusedAsync("a", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, mode = "webhook" } }));
        Assert.Contains("settings.mode", await RefusedAsync("a", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, mode = "carrier-pigeon" } }));
        Assert.Contains("settings.apiBaseUrl", await RefusedAsync("a", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = "ftp://x" } }));
        Assert.Contains("settings.colour", await RefusedAsync("a", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, colour = "red" } }));
        Assert.Contains("id", await RefusedAsync("Bad%20Name", new { type = "telegram", settings = new { token = FakeTelegramApi.Token } }));
        Assert.Contains("directline", await RefusedAsync("directline", new { type = "telegram", settings = new { token = FakeTelegramApi.Token } }));

        var saved = await admin.PutAsJsonAsync("/api/v1/channels/support", new
        {
            type = "telegram",
            settings = new { token = FakeTelegramApi.Token, mode = "webhook", webhookSecret = "hook-secret" },
            line = "cards",
            enabled = false,
        });
        var body = await saved.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.DoesNotContain(FakeTelegramApi.Token, body);
        Assert.DoesNotContain("hook-secret", body);
        // A change without the credentials keeps them.
        var changed = await admin.PutAsJsonAsync("/api/v1/channels/support", new { type = "telegram", settings = new { mode = "webhook" }, line = "loans", enabled = false });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var listed = await admin.GetStringAsync("/api/v1/channels");
        Assert.DoesNotContain(FakeTelegramApi.Token, listed);
        var support = JsonNode.Parse(listed)!.AsArray().Single()!;
        Assert.Equal("loans", support["line"]!.GetValue<string>());
        Assert.Equal(["token", "webhookSecret"], support["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("/channels/telegram/support/webhook", support["webhookPath"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/channels/support")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/channels/support")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/channels/support")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.GetAsync("/api/v1/channels")).StatusCode);
    }
}
