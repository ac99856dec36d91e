using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Messengers;
using BotEngine.Channels.BotFramework;
using BotEngine.Engine.Files;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.BotFramework;

/// <summary>The Bot Framework channel end to end: Teams-style activities signed by a local Connector into the engine, its replies to the Connector's API.</summary>
public sealed class BotFrameworkChannelTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_teams_user_is_greeted_presses_a_suggested_action_sends_a_picture_and_reaches_an_operator(StorageKind storage)
    {
        await using var connector = await FakeConnector.StartAsync();
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ConnectorSteps.SaveChannelAsync(admin, connector);
        const string conversation = "a:1personal-chat-with-ivan";
        const string user = "29:1ivan-petrov";
        var token = connector.Token();

        // Teams adds the bot to a personal chat: the bot greets without being asked.
        var added = connector.Activity("conversationUpdate", conversation, user);
        Assert.Equal(HttpStatusCode.OK, (await ConnectorSteps.PostAsync(engine, added, token)).StatusCode);
        var greeting = await connector.WaitForAsync(r => r.Conversation == conversation);
        Assert.Null(greeting.ReplyToId);
        Assert.Equal("28:" + FakeConnector.AppId, greeting.Activity["from"]!["id"]!.GetValue<string>());
        Assert.Equal(user, greeting.Activity["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal(conversation, greeting.Activity["conversation"]!["id"]!.GetValue<string>());
        Assert.Equal("markdown", greeting.Activity["textFormat"]!.GetValue<string>());

        var question = connector.Activity("message", conversation, user, "Как мне заблокировать свою карту?");
        await ConnectorSteps.PostAsync(engine, question, token);
        var answer = await connector.WaitForAsync(r => r.Activity["text"]?.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) == true);
        Assert.Equal(question["id"]!.GetValue<string>(), answer.ReplyToId);
        Assert.Equal(question["id"]!.GetValue<string>(), answer.Activity["replyToId"]!.GetValue<string>());
        Assert.Single(connector.Received, r => r.Activity["text"]?.GetValue<string>() == greeting.Activity["text"]!.GetValue<string>());
        var press = answer.Activity["suggestedActions"]!["actions"]!.AsArray().First()!;
        Assert.Equal("imBack", press["type"]!.GetValue<string>());

        // Teams posts an imBack press as the client's text; the default endpoint /api/messages finds the bot by the token's audience.
        var before = connector.Received.Count;
        var pressed = connector.Activity("message", conversation, user, press["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await ConnectorSteps.PostAsync(engine, pressed, token, BotFrameworkEndpoints.DefaultPath)).StatusCode);
        var afterPress = await connector.WaitForAsync(r => r.Activity["replyToId"]?.GetValue<string>() == pressed["id"]!.GetValue<string>());
        Assert.True(connector.Received.Count > before);
        Assert.NotEqual(answer.Activity["text"]!.GetValue<string>(), afterPress.Activity["text"]?.GetValue<string>());

        var jpeg = Encoding.ASCII.GetBytes("\xFF\xD8\xFF\xE0 a tiny stand-in for a photo");
        var photo = connector.Activity("message", conversation, user, "Вот фото карты", new JsonArray(
            new JsonObject { ["contentType"] = "image/jpeg", ["contentUrl"] = connector.MediaUrl("card.jpg", jpeg), ["name"] = "card.jpg" },
            new JsonObject { ["contentType"] = "text/html", ["content"] = "<p>Вот фото карты</p>" }));
        await ConnectorSteps.PostAsync(engine, photo, token);
        await ConnectorSteps.PostAsync(engine, connector.Activity("message", conversation, user, "Позовите оператора"), token);
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, ConnectorSteps.Channel))["id"]!.GetValue<string>();
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        var stored = messages.OfType<JsonObject>().Single(m => m["text"]?.GetValue<string>() == "Вот фото карты");
        var attachments = stored["activity"]!["attachments"]!.AsArray();
        Assert.Single(attachments);
        var fileId = new Uri(attachments[0]!["contentUrl"]!.GetValue<string>()).Segments[2].TrimEnd('/');
        Assert.Equal(jpeg, await engine.Services.GetRequiredService<FileStore>().ContentAsync(fileId, CancellationToken.None));

        await MessengerSteps.OperatorRepliesAsync(admin, dialogId, "Здравствуйте! Я **оператор** и помогу.");
        var operatorMessage = await connector.WaitForAsync(r => r.Activity["text"]?.GetValue<string>() == "Здравствуйте! Я **оператор** и помогу.");
        Assert.Null(operatorMessage.ReplyToId);
        Assert.Equal("markdown", operatorMessage.Activity["textFormat"]!.GetValue<string>());
        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Блокировка карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var channel = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/channels/{ConnectorSteps.Channel}"))!;
        Assert.NotNull(channel["health"]!["lastInboundAt"]);
        Assert.Equal("/channels/botframework/teams-bot/messages", channel["webhookPath"]!.GetValue<string>());
        Assert.Equal(["appPassword"], channel["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.DoesNotContain(FakeConnector.AppPassword, channel.ToJsonString(), StringComparison.Ordinal);
        // One token for all the sends, and the keys fetched once for all the activities.
        Assert.Equal(1, connector.TokenGrants);
        Assert.Equal(1, connector.KeyFetches);
    }

    [Fact]
    public async Task In_a_teams_group_chat_the_bot_answers_only_mentions_and_the_chat_is_one_dialog_of_its_members()
    {
        await using var connector = await FakeConnector.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ConnectorSteps.SaveChannelAsync(admin, connector);
        const string group = "19:group-chat-of-the-branch@thread.v2";
        var token = connector.Token();
        JsonObject InGroup(string type, string user, string name, string? text, bool mention)
        {
            var activity = connector.Activity(type, group, user, text);
            activity["conversation"] = new JsonObject { ["conversationType"] = "groupChat", ["isGroup"] = true, ["tenantId"] = "tenant-1", ["id"] = group, ["name"] = "Отделение на Тверской" };
            activity["from"]!["name"] = name;
            if (mention)
                activity["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>Банк</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + FakeConnector.AppId, ["name"] = "Банк" } });
            return activity;
        }

        // Joining the group and talk among members bring nothing; a mention of the bot is answered, without the mention.
        Assert.Equal(HttpStatusCode.OK, (await ConnectorSteps.PostAsync(engine, InGroup("conversationUpdate", "29:anna", "Анна", null, false), token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConnectorSteps.PostAsync(engine, InGroup("message", "29:anna", "Анна", "Кто знает, как заблокировать карту?", false), token)).StatusCode);
        var asked = InGroup("message", "29:anna", "Анна", "<at>Банк</at> как заблокировать карту?", true);
        await ConnectorSteps.PostAsync(engine, asked, token);
        await connector.WaitForAsync(r => r.Conversation == group && r.ReplyToId == asked["id"]!.GetValue<string>()
            && r.Activity["text"]?.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) == true);
        var second = InGroup("message", "29:maria", "Мария", "<at>Банк</at> позовите оператора", true);
        await ConnectorSteps.PostAsync(engine, second, token);
        var dialog = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault(d => d["channel"]!.GetValue<string>() == ConnectorSteps.Channel));
        await TurnWaits.AllProcessedAsync(engine.Services);
        var incoming = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialog["id"]}/messages"))!.OfType<JsonObject>()
            .Where(m => m["direction"]!.GetValue<string>() == "in").ToList();
        Assert.Equal(["как заблокировать карту?", "позовите оператора"], incoming.Select(m => m["text"]!.GetValue<string>()));
        Assert.Equal(["Анна", "Мария"], incoming.Select(m => m["activity"]!["from"]!["name"]!.GetValue<string>()));
        Assert.Single((await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!, d => d!["channel"]!.GetValue<string>() == ConnectorSteps.Channel);
        foreach (var (name, account) in new[] { ("Анна", "29:anna"), ("Мария", "29:maria") })
        {
            var found = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/clients?q=" + Uri.EscapeDataString(name)))!["clients"]!.AsArray();
            var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{Assert.Single(found)!["id"]}"))!;
            Assert.Contains(card["accounts"]!.AsArray(), a => a!["accountId"]!.GetValue<string>() == account);
        }
    }

    [Fact]
    public async Task Activities_without_a_good_token_store_nothing_a_repeat_is_taken_once_and_a_new_key_is_fetched_when_seen()
    {
        await using var connector = await FakeConnector.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ConnectorSteps.SaveChannelAsync(admin, connector);
        const string user = "29:1refused";
        var message = connector.Activity("message", "a:1refused-chat", user, "Позовите оператора");
        using var stranger = RSA.Create(2048);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ConnectorSteps.PostAsync(engine, message, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ConnectorSteps.PostAsync(engine, message, null, BotFrameworkEndpoints.DefaultPath)).StatusCode);
        var refused = new Dictionary<string, string>
        {
            ["another bot's App ID"] = connector.Token(audience: "another-app-id"),
            ["another issuer"] = connector.Token(issuer: "https://sts.windows.net/tenant-1/"),
            ["expired"] = connector.Token(expires: DateTime.UtcNow.AddMinutes(-6)),
            ["signed by a key the Connector does not hold"] = connector.Token(signWith: stranger),
            ["another serviceUrl"] = connector.Token(serviceUrl: "https://smba.example.net/teams/"),
            ["a key not endorsed for msteams"] = connector.Token(kid: FakeConnector.WebChatOnlyKey),
        };
        foreach (var (why, token) in refused)
        {
            var answer = await ConnectorSteps.PostAsync(engine, message, token);
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{why}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await ConnectorSteps.PostAsync(engine, message, connector.Token(audience: "another-app-id"), BotFrameworkEndpoints.DefaultPath)).StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);
        Assert.Empty(connector.Received);
        Assert.Equal(HttpStatusCode.NotFound, (await ConnectorSteps.PostAsync(engine, message, connector.Token(), BotFrameworkEndpoints.PathOf("no-such-bot"))).StatusCode);

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await ConnectorSteps.PostAsync(engine, message, connector.Token())).StatusCode);
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, ConnectorSteps.Channel))["id"]!.GetValue<string>();
        await TurnWaits.AllProcessedAsync(engine.Services);
        Assert.Equal(1, await MessengerSteps.InboundCountAsync(admin, dialogId));
        Assert.Equal(1, connector.KeyFetches);

        // The Connector rotates its keys: a token under the new key makes one fetch (once the last is a few seconds old).
        connector.AddKey("rotated-key", "msteams");
        var next = connector.Activity("message", "a:1refused-chat", user, "Есть кто-нибудь?");
        await Eventually.WaitAsync(async () => (await ConnectorSteps.PostAsync(engine, next, connector.Token(kid: "rotated-key"))).StatusCode == HttpStatusCode.OK ? true : null);
        Assert.Equal(2, connector.KeyFetches);
    }

    [Fact]
    public async Task A_connector_that_answers_429_and_500_gets_each_reply_once_and_in_order_and_a_404_parks_the_reply()
    {
        await using var connector = await FakeConnector.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await ConnectorSteps.SaveChannelAsync(admin, connector);
        const string conversation = "a:1busy-chat";
        const string user = "29:1busy";

        connector.FailNext(429, TimeSpan.FromSeconds(1));
        connector.FailNext(500);
        // The dialog's first message: the greeting and the answer, in that order.
        var question = connector.Activity("message", conversation, user, "Как заблокировать карту?");
        await ConnectorSteps.PostAsync(engine, question, connector.Token());
        await connector.WaitForAsync(r => r.ReplyToId == question["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outbox's beat: a second copy would have gone by now
        var delivered = connector.Received.Where(r => r.Conversation == conversation).ToList();
        Assert.Equal(2, delivered.Count);
        Assert.Null(delivered[0].ReplyToId);
        Assert.Equal(question["id"]!.GetValue<string>(), delivered[1].ReplyToId);
        Assert.Equal(2, connector.Failed.Count);
        Assert.Equal(delivered[0].Activity["text"]!.GetValue<string>(), connector.Failed.First()["text"]!.GetValue<string>());

        // The conversation is gone (the user removed the bot): the Connector's 404 parks the reply after one try.
        connector.FailNext(404);
        var gone = connector.Activity("message", conversation, user, "Позовите оператора");
        await ConnectorSteps.PostAsync(engine, gone, connector.Token());
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/channels/{ConnectorSteps.Channel}"))!["health"]!["lastError"]?.GetValue<string>()?.Contains("404", StringComparison.Ordinal) == true ? true : null);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a retry would have come by now
        Assert.Equal(3, connector.Failed.Count);
        Assert.DoesNotContain(connector.Received, r => r.ReplyToId == gone["id"]!.GetValue<string>());
    }
}
