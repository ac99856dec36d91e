using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Telegram;

/// <summary>A whole dialog with the engine as a Telegram user of npm telegram-test-api, a Bot API emulator written by others.</summary>
public sealed class TelegramPeerTests
{
    private const long Chat = 4242;

    [Fact]
    public async Task A_user_of_the_emulator_gets_answers_presses_a_button_and_talks_to_an_operator()
    {
        await using var peer = await TelegramTestApiPeer.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var saved = await admin.PutAsJsonAsync("/api/v1/channels/peer-bot",
            new { type = "telegram", settings = new { token = TelegramTestApiPeer.Token, apiBaseUrl = peer.ProxyUrl } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        await peer.UserSendsAsync(Chat, "Здравствуйте");
        await peer.WaitForBotMessageAsync(Chat, u => Keyboard(u).Count > 0);

        await peer.UserSendsAsync(Chat, "Как мне заблокировать свою карту?");
        var answer = await peer.WaitForBotMessageAsync(Chat, u => Text(u).Contains("Заблокировать карту", StringComparison.Ordinal) && Keyboard(u).Count > 0);
        var button = Keyboard(answer).First(b => b["callback_data"] is not null);
        await peer.UserPressesAsync(Chat, answer["messageId"]!.GetValue<int>(), button["callback_data"]!.GetValue<string>());
        var afterPress = await peer.WaitForBotMessageAsync(Chat, u => u["messageId"]!.GetValue<int>() > answer["messageId"]!.GetValue<int>());
        Assert.NotEqual(Text(answer), Text(afterPress));

        await peer.UserSendsAsync(Chat, "Позовите оператора");
        var dialog = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault(d => d["channel"]!.GetValue<string>() == "peer-bot"));
        var dialogId = dialog["id"]!.GetValue<string>();
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Мария, добрый день! Оператор на связи." })).IsSuccessStatusCode);
        await peer.WaitForBotMessageAsync(Chat, u => Text(u) == "Мария, добрый день! Оператор на связи.");

        // The user's answer reaches the operator's transcript.
        await peer.UserSendsAsync(Chat, "Спасибо, карта заблокирована?");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.Any(m => m!["text"]?.GetValue<string>() == "Спасибо, карта заблокирована?") ? true : (bool?)null);
        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Блокировка карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
    }

    private static string Text(JsonObject update) => update["message"]?["text"]?.GetValue<string>() ?? "";

    private static List<JsonObject> Keyboard(JsonObject update) =>
        update["message"]?["reply_markup"]?["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>()).ToList()
            : [];
}
