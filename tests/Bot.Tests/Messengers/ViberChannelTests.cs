using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers.Viber;
using BotEngine.Engine.Files;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>The Viber channel end to end: signed callbacks into the engine, its sends to a Viber API on a loopback port.</summary>
public sealed class ViberChannelTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_client_talks_to_the_bot_presses_a_button_sends_a_picture_and_reaches_an_operator(StorageKind storage)
    {
        await using var viber = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        const string user = "01234567890A=";
        await MessengerSteps.SaveChannelAsync(admin, "viber-shop", "viber", new
        {
            token = FakeMessengerApi.ViberToken,
            apiBaseUrl = viber.BaseUrl + "/pa",
            webhookUrl = new Uri(engine.BaseUri, ViberWebhook.PathOf("viber-shop")).AbsoluteUri,
        });
        // Saving registers the webhook, and Viber's signed check of it is answered.
        await viber.WaitForAsync("viber", "set_webhook", b => b["url"]!.GetValue<string>().EndsWith("/channels/viber/viber-shop/webhook", StringComparison.Ordinal));
        await Eventually.WaitAsync(() => Task.FromResult(viber.WebhookChecks.IsEmpty ? null : (bool?)true));
        Assert.All(viber.WebhookChecks, status => Assert.Equal(200, status));

        Assert.Equal(HttpStatusCode.OK, (await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage(user, "Здравствуйте"))).StatusCode);
        var greeting = await viber.WaitForAsync("viber", "send_message", m => m["receiver"]!.GetValue<string>() == user && m["keyboard"] is not null);
        Assert.Equal("text", greeting["type"]!.GetValue<string>());
        Assert.Equal("BotEngine", greeting["sender"]!["name"]!.GetValue<string>());

        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage(user, "Как мне заблокировать свою карту?"));
        var answer = await viber.WaitForAsync("viber", "send_message", m => m["text"]?.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("**", answer["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var reply = answer["keyboard"]!["Buttons"]!.AsArray().First(b => b!["ActionType"]!.GetValue<string>() == "reply")!;
        var before = viber.Sent("viber", "send_message").Count();
        // Viber sends a pressed reply button as the client's text, with the tracking data of our message that offered it.
        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage(user, reply["ActionBody"]!.GetValue<string>(), tracking: answer["tracking_data"]!.GetValue<string>()));
        var pressed = await viber.WaitForAsync("viber", "send_message", m => viber.Sent("viber", "send_message").Skip(before).Contains(m));
        Assert.NotEqual(answer["text"]!.GetValue<string>(), pressed["text"]?.GetValue<string>());

        var jpeg = Encoding.ASCII.GetBytes("\xFF\xD8\xFF\xE0 a tiny stand-in for a photo");
        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage(user, "Вот фото карты",
            extra: new JsonObject { ["type"] = "picture", ["media"] = viber.Media("card.jpg", jpeg) }));
        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage(user, "Позовите оператора"));
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "viber-shop"))["id"]!.GetValue<string>();
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        var photo = messages.OfType<JsonObject>().Single(m => m["text"]?.GetValue<string>() == "Вот фото карты");
        var fileId = new Uri(photo["activity"]!["attachments"]![0]!["contentUrl"]!.GetValue<string>()).Segments[2].TrimEnd('/');
        Assert.Equal(jpeg, await engine.Services.GetRequiredService<FileStore>().ContentAsync(fileId, CancellationToken.None));

        await MessengerSteps.OperatorRepliesAsync(admin, dialogId, "Здравствуйте! Я **оператор** и помогу.");
        await viber.WaitForAsync("viber", "send_message", m => m["text"]?.GetValue<string>() == "Здравствуйте! Я оператор и помогу.");
        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Блокировка карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var channel = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/viber-shop"))!;
        Assert.NotNull(channel["health"]!["lastInboundAt"]);
        Assert.Equal("/channels/viber/viber-shop/webhook", channel["webhookPath"]!.GetValue<string>());
        Assert.DoesNotContain(FakeMessengerApi.ViberToken, channel.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_without_the_tokens_signature_is_refused_and_a_repeated_one_is_stored_once()
    {
        await using var viber = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "viber-shop", "viber", new { token = FakeMessengerApi.ViberToken, apiBaseUrl = viber.BaseUrl + "/pa" });
        var message = MessengerSteps.ViberMessage("user-2=", "Позовите оператора");

        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerSteps.ViberAsync(engine, "viber-shop", message, signatureKey: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerSteps.ViberAsync(engine, "viber-shop", message, signatureKey: "another-bots-token-0000")).StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await MessengerSteps.ViberAsync(engine, "no-such-bot", message)).StatusCode);

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await MessengerSteps.ViberAsync(engine, "viber-shop", message)).StatusCode);
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "viber-shop"))["id"]!.GetValue<string>();
        await TurnWaits.AllProcessedAsync(engine.Services);
        Assert.Equal(1, await MessengerSteps.InboundCountAsync(admin, dialogId));

        var garbage = await MessengerSteps.ViberAsync(engine, "viber-shop", new JsonObject { ["event"] = "message", ["sender"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_and_a_client_who_is_not_subscribed_parks_the_delivery_at_once()
    {
        await using var viber = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "viber-shop", "viber", new { token = FakeMessengerApi.ViberToken, apiBaseUrl = viber.BaseUrl + "/pa" });

        viber.FailNext(200, new JsonObject { ["status"] = 12, ["status_message"] = "tooManyRequests" });
        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage("busy=", "Как заблокировать карту?"));
        var answer = await viber.WaitForAsync("viber", "send_message", m => m["receiver"]!.GetValue<string>() == "busy=", TimeSpan.FromSeconds(60));
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outbox's beat: a second copy would have gone by now
        Assert.Single(viber.Sent("viber", "send_message"), m => m["text"]?.GetValue<string>() == answer["text"]!.GetValue<string>());

        viber.Unsubscribe("gone=");
        await MessengerSteps.ViberAsync(engine, "viber-shop", MessengerSteps.ViberMessage("gone=", "Как заблокировать карту?"));
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/viber-shop"))!["health"]!["lastError"]?.GetValue<string>()?.Contains("status 6", StringComparison.Ordinal) == true ? true : (bool?)null);
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a retry would have come by now
        // Each of our messages was tried once and parked: no retry can reach a client who left.
        var tries = viber.Refused.GroupBy(m => m["tracking_data"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(tries);
        Assert.All(tries, t => Assert.Single(t));
        Assert.DoesNotContain(viber.Sent("viber", "send_message"), m => m["receiver"]!.GetValue<string>() == "gone=");
    }

    [Fact]
    public async Task A_viber_deep_link_attaches_the_account_to_the_web_chat_clients_profile()
    {
        await using var viber = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "viber-shop", "viber", new { token = FakeMessengerApi.ViberToken, apiBaseUrl = viber.BaseUrl + "/pa" });
        var (web, clientId, _) = await MessengerSteps.WebChatClientAsync(engine, admin);
        using var visitor = web;
        var (url, token) = await MessengerSteps.DeepLinkAsync(admin, clientId, "viber-shop");
        Assert.Equal($"viber://pa?chatURI=shopbot&context={token}", url);

        // Opening the link makes Viber send conversation_started with the token as its context.
        var opened = new JsonObject
        {
            ["event"] = "conversation_started",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["message_token"] = MessengerSteps.NextId(),
            ["type"] = "open",
            ["context"] = token,
            ["user"] = new JsonObject { ["id"] = "linked=", ["name"] = "Иван", ["language"] = "ru" },
            ["subscribed"] = false,
        };
        Assert.Equal(HttpStatusCode.OK, (await MessengerSteps.ViberAsync(engine, "viber-shop", opened)).StatusCode);
        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
        Assert.Equal(["directline", "viber"], card["accounts"]!.AsArray().Select(a => a!["channelType"]!.GetValue<string>()).Order());
    }
}
