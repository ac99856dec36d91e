using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Engine.Files;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>The VK channel end to end: Callback API events into the engine, messages.send to a VK API on a loopback port.</summary>
public sealed class VkChannelTests
{
    private const long Peer = 777001;

    private static object Settings(FakeMessengerApi vk) => new
    {
        token = FakeMessengerApi.VkToken,
        secret = MessengerSteps.VkSecret,
        confirmation = MessengerSteps.VkConfirmation,
        groupId = MessengerSteps.VkGroup,
        screenName = "shop_club",
        apiBaseUrl = vk.BaseUrl + "/method",
    };

    [Fact]
    public async Task A_client_talks_to_the_bot_presses_and_types_an_option_sends_a_photo_and_reaches_an_operator()
    {
        await using var vk = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "vk-shop", "vk", Settings(vk));

        // VK confirms the server first: the answer is the confirmation string as plain text.
        var confirmation = await MessengerSteps.VkAsync(engine, "vk-shop", new JsonObject { ["type"] = "confirmation", ["group_id"] = MessengerSteps.VkGroup, ["secret"] = MessengerSteps.VkSecret });
        Assert.Equal(MessengerSteps.VkConfirmation, await confirmation.Content.ReadAsStringAsync());

        var hello = await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Как мне заблокировать свою карту?"));
        Assert.Equal("ok", await hello.Content.ReadAsStringAsync());
        var answer = await vk.WaitForAsync("vk", "messages.send", m => m["message"]!.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) && m["keyboard"] is not null);
        Assert.Equal(Peer.ToString(System.Globalization.CultureInfo.InvariantCulture), answer["peer_id"]!.GetValue<string>());
        var keyboard = JsonNode.Parse(answer["keyboard"]!.GetValue<string>())!;
        Assert.True(keyboard["inline"]!.GetValue<bool>());
        var first = keyboard["buttons"]![0]![0]!["action"]!;
        Assert.Equal("text", first["type"]!.GetValue<string>());

        // A press sends the label as text with our payload.
        var before = vk.Sent("vk", "messages.send").Count();
        await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, first["label"]!.GetValue<string>(),
            extra: new JsonObject { ["payload"] = first["payload"]!.GetValue<string>() }));
        var pressed = await vk.WaitForAsync("vk", "messages.send", m => vk.Sent("vk", "messages.send").Skip(before).Contains(m));
        Assert.DoesNotContain("Заблокировать карту", pressed["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Typing the option's number after the same offer chooses the same option.
        await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Как мне заблокировать свою карту?"));
        await Eventually.WaitAsync(() => Task.FromResult(vk.Sent("vk", "messages.send").Count(m => m["message"]!.GetValue<string>() == answer["message"]!.GetValue<string>()) == 2 ? true : (bool?)null));
        var beforeTyped = vk.Sent("vk", "messages.send").Count();
        await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "1"));
        var typed = await vk.WaitForAsync("vk", "messages.send", m => vk.Sent("vk", "messages.send").Skip(beforeTyped).Contains(m));
        Assert.True(pressed["message"]!.GetValue<string>() == typed["message"]!.GetValue<string>(),
            $"pressed: {pressed.ToJsonString()}\ntyped: {typed.ToJsonString()}\nfirst: {first.ToJsonString()}\nall: {string.Join("\n", vk.Sent("vk", "messages.send").Select(m => m.ToJsonString()))}");

        var jpeg = Encoding.ASCII.GetBytes("\xFF\xD8\xFF\xE0 a vk photo");
        await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Фото карты", extra: new JsonObject
        {
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["type"] = "photo",
                ["photo"] = new JsonObject
                {
                    ["sizes"] = new JsonArray(
                        new JsonObject { ["type"] = "s", ["width"] = 75, ["height"] = 50, ["url"] = vk.Media("small.jpg", [1, 2, 3]) },
                        new JsonObject { ["type"] = "x", ["width"] = 604, ["height"] = 403, ["url"] = vk.Media("large.jpg", jpeg) }),
                },
            }),
        }));
        var repeated = MessengerSteps.VkMessage(Peer, "Позовите оператора");
        await MessengerSteps.VkAsync(engine, "vk-shop", repeated);
        await MessengerSteps.VkAsync(engine, "vk-shop", repeated);
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "vk-shop"))["id"]!.GetValue<string>();
        await TurnWaits.AllProcessedAsync(engine.Services);
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        Assert.Single(messages, m => m!["text"]?.GetValue<string>() == "Позовите оператора");
        var photo = messages.OfType<JsonObject>().Single(m => m["text"]?.GetValue<string>() == "Фото карты");
        var fileId = new Uri(photo["activity"]!["attachments"]![0]!["contentUrl"]!.GetValue<string>()).Segments[2].TrimEnd('/');
        Assert.Equal(jpeg, await engine.Services.GetRequiredService<FileStore>().ContentAsync(fileId, CancellationToken.None));

        // VK refuses with "too many requests": the part is sent again with the same random_id, and arrives once.
        vk.FailNext(200, new JsonObject { ["error"] = new JsonObject { ["error_code"] = 6, ["error_msg"] = "Too many requests per second" } });
        await MessengerSteps.OperatorRepliesAsync(admin, dialogId, "Здравствуйте! Я **оператор** и помогу.");
        await vk.WaitForAsync("vk", "messages.send", m => m["message"]!.GetValue<string>() == "Здравствуйте! Я оператор и помогу.", TimeSpan.FromSeconds(60));
        Assert.Single(vk.Sent("vk", "messages.send"), m => m["message"]!.GetValue<string>() == "Здравствуйте! Я оператор и помогу.");
    }

    [Fact]
    public async Task A_callback_with_a_wrong_secret_or_community_is_refused_and_stores_nothing()
    {
        await using var vk = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "vk-shop", "vk", Settings(vk));

        Assert.Equal(HttpStatusCode.Forbidden, (await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Позовите оператора", secret: "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Позовите оператора", group: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MessengerSteps.VkAsync(engine, "vk-shop", new JsonObject { ["type"] = "confirmation", ["group_id"] = MessengerSteps.VkGroup })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await engine.Http.PostAsync("/channels/vk/vk-shop/callback", new StringContent("{\"type\":", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);

        // Settings are checked when saved, and the credentials never come back.
        var refused = await admin.PutAsJsonAsync("/api/v1/channels/vk-bad", new { type = "vk", settings = new { token = FakeMessengerApi.VkToken, secret = "s", confirmation = "c" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("settings.groupId", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var listed = await admin.GetStringAsync("/api/v1/channels");
        Assert.DoesNotContain(FakeMessengerApi.VkToken, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(MessengerSteps.VkSecret, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vk_deep_link_joins_the_web_chat_clients_profile_and_the_operator_replies_to_vk_from_the_same_card()
    {
        await using var vk = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "vk-shop", "vk", Settings(vk));
        var (web, clientId, dialogId) = await MessengerSteps.WebChatClientAsync(engine, admin);
        using var visitor = web;
        var (url, token) = await MessengerSteps.DeepLinkAsync(admin, clientId, "vk-shop");
        Assert.Equal($"https://vk.me/shop_club?ref={token}", url);
        // The first message from the link carries its ref.
        await MessengerSteps.VkAsync(engine, "vk-shop", MessengerSteps.VkMessage(Peer, "Это я, из чата на сайте", extra: new JsonObject { ["ref"] = token, ["ref_source"] = "profile" }));

        var card = await Eventually.WaitAsync(async () =>
        {
            var c = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
            // The link attaches the account first; its conversation is bound when the message is stored.
            return c["accounts"]!.AsArray() is { Count: 2 } both && both.All(a => a!["conversationId"] is not null) ? c : null;
        });
        var vkConversation = card["accounts"]!.AsArray().Single(a => a!["channel"]!.GetValue<string>() == "vk-shop")!["conversationId"]!.GetValue<string>();
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.Any(m => m!["text"]?.GetValue<string>() == "Это я, из чата на сайте") ? true : (bool?)null);
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Отвечаю во ВКонтакте", conversationId = vkConversation })).IsSuccessStatusCode);
        await vk.WaitForAsync("vk", "messages.send", m => m["message"]!.GetValue<string>() == "Отвечаю во ВКонтакте");
    }
}
