using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers.Facebook;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>Facebook Messenger end to end: signed page events into the engine, the Send API on a loopback port.</summary>
public sealed class FacebookChannelTests
{
    private const string Psid = "6543210987654321";

    private static object Settings(FakeMessengerApi graph) => new
    {
        pageToken = FakeMessengerApi.FacebookToken,
        appSecret = MessengerSteps.FacebookAppSecret,
        verifyToken = MessengerSteps.FacebookVerifyToken,
        pageName = "shop.page",
        apiBaseUrl = graph.BaseUrl,
    };

    [Fact]
    public async Task The_subscription_check_a_conversation_with_quick_replies_a_retry_and_an_operator_reply()
    {
        await using var graph = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "fb-shop", "facebook", Settings(graph));

        var path = FacebookWebhook.PathOf("fb-shop");
        var verified = await engine.Http.GetAsync($"{path}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={MessengerSteps.FacebookVerifyToken}");
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("1158201444", await verified.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await engine.Http.GetAsync($"{path}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess")).StatusCode);

        var unsigned = MessengerSteps.FacebookText(Psid, "Позовите оператора");
        var page = new JsonObject { ["object"] = "page", ["entry"] = new JsonArray(new JsonObject { ["messaging"] = new JsonArray(unsigned) }) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerSteps.FacebookSignedAsync(engine, "fb-shop", page, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MessengerSteps.FacebookSignedAsync(engine, "fb-shop", page, "other-app-secret")).StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs") ?? []);

        // The page is rate limited once: the reply waits and arrives once.
        graph.FailNext(400, new JsonObject { ["error"] = new JsonObject { ["message"] = "Calls to this api have exceeded the rate limit.", ["type"] = "OAuthException", ["code"] = 613 } });
        Assert.Equal(HttpStatusCode.OK, (await MessengerSteps.FacebookAsync(engine, "fb-shop", MessengerSteps.FacebookText(Psid, "Как мне заблокировать свою карту?"))).StatusCode);
        var answer = await graph.WaitForAsync("facebook", "messages", m => m["message"]?["quick_replies"] is not null && m["message"]!["text"]!.GetValue<string>().Contains("Заблокировать карту", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        Assert.Equal("RESPONSE", answer["messaging_type"]!.GetValue<string>());
        Assert.Equal(Psid, answer["recipient"]!["id"]!.GetValue<string>());
        Assert.Single(graph.Sent("facebook", "messages"), m => m["message"]?["text"]?.GetValue<string>() == answer["message"]!["text"]!.GetValue<string>());
        var reply = answer["message"]!["quick_replies"]![0]!;
        Assert.True(reply["title"]!.GetValue<string>().Length <= 20);

        var before = graph.Sent("facebook", "messages").Count();
        await MessengerSteps.FacebookAsync(engine, "fb-shop", MessengerSteps.FacebookText(Psid, reply["title"]!.GetValue<string>(),
            new JsonObject { ["quick_reply"] = new JsonObject { ["payload"] = reply["payload"]!.GetValue<string>() } }));
        var pressed = await graph.WaitForAsync("facebook", "messages", m => graph.Sent("facebook", "messages").Skip(before).Contains(m) && m["message"] is not null);
        Assert.NotEqual(answer["message"]!["text"]!.GetValue<string>(), pressed["message"]!["text"]?.GetValue<string>());

        var operatorCall = MessengerSteps.FacebookText(Psid, "Позовите оператора");
        await MessengerSteps.FacebookAsync(engine, "fb-shop", operatorCall);
        await MessengerSteps.FacebookAsync(engine, "fb-shop", operatorCall);
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "fb-shop"))["id"]!.GetValue<string>();
        await MessengerSteps.OperatorRepliesAsync(admin, dialogId, "Здравствуйте! Я **оператор** и помогу.");
        await graph.WaitForAsync("facebook", "messages", m => m["message"]?["text"]?.GetValue<string>() == "Здравствуйте! Я оператор и помогу.");
        Assert.Single((await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!, m => m!["text"]?.GetValue<string>() == "Позовите оператора");
    }

    [Fact]
    public async Task An_m_me_referral_attaches_the_account_to_the_web_chat_clients_profile()
    {
        await using var graph = await FakeMessengerApi.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await MessengerSteps.SaveChannelAsync(admin, "fb-shop", "facebook", Settings(graph));
        var (web, clientId, _) = await MessengerSteps.WebChatClientAsync(engine, admin);
        using var visitor = web;
        var (url, token) = await MessengerSteps.DeepLinkAsync(admin, clientId, "fb-shop");
        Assert.Equal($"https://m.me/shop.page?ref={token}", url);
        var referral = new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = Psid },
            ["recipient"] = new JsonObject { ["id"] = "page-1" },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["referral"] = new JsonObject { ["ref"] = token, ["source"] = "SHORTLINK", ["type"] = "OPEN_THREAD" },
        };
        Assert.Equal(HttpStatusCode.OK, (await MessengerSteps.FacebookAsync(engine, "fb-shop", referral)).StatusCode);
        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
        Assert.Equal(["directline", "facebook"], card["accounts"]!.AsArray().Select(a => a!["channelType"]!.GetValue<string>()).Order());
    }

    [Theory]
    [InlineData(1.0, false, "RESPONSE", null)]
    [InlineData(23.9, true, "RESPONSE", null)]
    [InlineData(25.0, true, "MESSAGE_TAG", "HUMAN_AGENT")]
    [InlineData(167.0, true, "MESSAGE_TAG", "HUMAN_AGENT")]
    public void Messengers_window_rule_picks_how_the_page_may_write(double hours, bool fromOperator, string type, string? tag) =>
        Assert.Equal((type, tag), FacebookSender.Window(TimeSpan.FromHours(hours), fromOperator));

    [Theory]
    [InlineData(25.0, false)]
    [InlineData(169.0, true)]
    [InlineData(null, true)]
    public void Outside_the_window_a_message_is_refused_for_good(double? hours, bool fromOperator) =>
        Assert.Throws<ChannelRefusedException>(() => FacebookSender.Window(hours is { } h ? TimeSpan.FromHours(h) : null, fromOperator));
}
