using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Telegram;

/// <summary>
/// One client, two channels: a web chat visitor opens a Telegram deep link (through npm telegram-test-api), and the
/// operator serves both from one client card, choosing the channel of each reply.
/// </summary>
public sealed class TelegramDeepLinkTests
{
    private const long Chat = 5151;

    [Fact]
    public async Task A_web_chat_client_who_opens_a_telegram_deep_link_has_one_profile_and_gets_replies_on_the_chosen_channel()
    {
        await using var peer = await TelegramTestApiPeer.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/channels/peer-bot",
            new { type = "telegram", settings = new { token = TelegramTestApiPeer.Token, apiBaseUrl = peer.ProxyUrl } })).StatusCode);

        // The visitor asks for an operator on the web chat and gets one.
        using var web = await DirectLineClient.StartAsync(engine.BaseUri);
        await web.SendAsync("Позовите оператора", "dl_visitor");
        var dialog = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault());
        var dialogId = dialog["id"]!.GetValue<string>();
        var clientId = dialog["clientId"]!.GetValue<string>();
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);

        // The operator makes a Telegram link for this client; the client opens it, so Telegram sends "/start <token>".
        var made = await admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/deep-links", new { channel = "peer-bot" });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var link = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        var url = link["url"]!.GetValue<string>();
        Assert.StartsWith("https://t.me/TestNameBot?start=", url, StringComparison.Ordinal);
        await peer.UserSendsAsync(Chat, "/start " + link["token"]!.GetValue<string>());

        var card = await Eventually.WaitAsync(async () =>
        {
            var c = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
            // The link attaches the account first; its conversation is bound when the message is stored.
            return c["accounts"]!.AsArray() is { Count: 2 } both && both.All(a => a!["conversationId"] is not null) ? c : null;
        });
        var accounts = card["accounts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["directline", "telegram"], accounts.Select(a => a["channelType"]!.GetValue<string>()).Order());
        var telegramConversation = accounts.Single(a => a["channel"]!.GetValue<string>() == "peer-bot")["conversationId"]!.GetValue<string>();
        var webConversation = accounts.Single(a => a["channel"]!.GetValue<string>() == "directline")["conversationId"]!.GetValue<string>();
        // The Telegram message joined the open dialog, without the token in its transcript.
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.Any(m => m!["text"]?.GetValue<string>() == "/start") ? true : (bool?)null);
        Assert.DoesNotContain(link["token"]!.GetValue<string>(), await admin.GetStringAsync($"/api/v1/dialogs/{dialogId}/messages"), StringComparison.Ordinal);

        // Replies go to Telegram or to the web chat, as the operator chooses.
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Пишу вам в Telegram", conversationId = telegramConversation })).IsSuccessStatusCode);
        await peer.WaitForBotMessageAsync(Chat, u => u["message"]?["text"]?.GetValue<string>() == "Пишу вам в Telegram");
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "А это в чат на сайте", conversationId = webConversation })).IsSuccessStatusCode);
        await web.WaitForBotAsync(a => a["text"]?.GetValue<string>() == "А это в чат на сайте");
        var refused = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "?", conversationId = "somebody-else" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // The token is single-use: another Telegram user opening it gets no access to the profile.
        await peer.UserSendsAsync(Chat + 1, "/start " + link["token"]!.GetValue<string>());
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!.OfType<JsonObject>().Any(d => d["clientId"]!.GetValue<string>() != clientId) ? true : (bool?)null);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["accounts"]!.AsArray().Count);
    }
}
