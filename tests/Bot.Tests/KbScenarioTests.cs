using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>Scenarios of the knowledge base (slots, conditions, cancel, out of hours, close) through Direct Line.</summary>
public sealed class KbScenarioTests
{
    private const string AskDigits = "Введите последние 4 цифры карты, которую нужно заблокировать.";
    private const string DigitsHint = "Нужны ровно 4 цифры, например 1234. Полный номер карты писать не нужно.";
    private const string AskReason = "Что случилось с картой?";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Card_block_form_asks_validates_re_asks_and_answers_by_condition(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);

        var start = await chat.SendAsync("Заявка на блокировку карты");
        await chat.WaitForBotAsync(a => ReplyTo(a, start) && DirectLineClient.Text(a) == AskDigits);

        // Invalid input: the hint, then the question again.
        var wrong = await chat.SendAsync("не помню");
        await chat.WaitForBotAsync(a => ReplyTo(a, wrong) && DirectLineClient.Text(a) == DigitsHint);
        await chat.WaitForBotAsync(a => ReplyTo(a, wrong) && DirectLineClient.Text(a) == AskDigits);

        var digits = await chat.SendAsync("кажется 4417");
        var reasonQuestion = await chat.WaitForBotAsync(a => ReplyTo(a, digits) && DirectLineClient.Text(a) == AskReason);
        var stolen = reasonQuestion["suggestedActions"]!["actions"]!.AsArray().Single(b => b!["title"]!.GetValue<string>() == "Украдена")!;
        Assert.Equal("messageBack", stolen["type"]!.GetValue<string>());

        // The dictionary button's payload comes back through Direct Line as the messageBack value.
        var pressed = await chat.SendAsync("Украдена", value: stolen["value"]!.DeepClone());
        await chat.WaitForBotAsync(a => ReplyTo(a, pressed) && DirectLineClient.Text(a)!.StartsWith("Заявка на блокировку карты •• 4417 принята", StringComparison.Ordinal));
        await chat.WaitForBotAsync(a => ReplyTo(a, pressed) && DirectLineClient.Text(a)!.StartsWith("Если карту украли", StringComparison.Ordinal));
        await Task.Delay(300);
        await chat.PollAsync();
        var answers = chat.Received.Where(a => ReplyTo(a, pressed)).Select(DirectLineClient.Text).ToList();
        Assert.Equal(2, answers.Count);
        Assert.DoesNotContain(answers, t => t!.StartsWith("Новую карту", StringComparison.Ordinal));

        // The slots persist in the dialog: the next run asks whether the card is still the same (the reason has
        // no such question, so it is kept), and "cancel" leaves the scenario.
        var again = await chat.SendAsync("Заявка на блокировку карты");
        var confirm = await chat.WaitForBotAsync(a => ReplyTo(a, again) && DirectLineClient.Text(a) == "Блокируем карту, которая заканчивается на 4417?");
        var yes = confirm["suggestedActions"]!["actions"]!.AsArray().Single(b => b!["title"]!.GetValue<string>() == "Да")!;
        var yesSent = await chat.SendAsync("Да", value: yes["value"]!.DeepClone());
        await chat.WaitForBotAsync(a => ReplyTo(a, yesSent) && DirectLineClient.Text(a)!.StartsWith("Заявка на блокировку карты •• 4417 принята", StringComparison.Ordinal));
        var third = await chat.SendAsync("Заявка на блокировку карты");
        await chat.WaitForBotAsync(a => ReplyTo(a, third) && DirectLineClient.Text(a) == "Блокируем карту, которая заканчивается на 4417?");
        var cancel = await chat.SendAsync("отмена");
        await chat.WaitForBotAsync(a => ReplyTo(a, cancel) && DirectLineClient.Text(a) == "Хорошо, отменили.");
        var after = await chat.SendAsync("Как заблокировать карту?");
        await chat.WaitForBotAsync(a => ReplyTo(a, after) && DirectLineClient.Text(a)!.StartsWith("Заблокировать карту можно", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Out_of_hours_the_client_leaves_a_phone_and_the_bot_closes_the_dialog()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KbFixtures", "out-of-hours.json")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var ask = await chat.SendAsync("Позовите оператора");
        await chat.WaitForBotAsync(a => ReplyTo(a, ask) && DirectLineClient.Text(a) == "Сейчас нерабочее время.");
        await chat.WaitForBotAsync(a => ReplyTo(a, ask) && DirectLineClient.Text(a) == "Операторы сейчас не работают. Оставьте телефон — мы перезвоним.");
        var phone = await chat.SendAsync("8 912 345-67-89");
        await chat.WaitForBotAsync(a => ReplyTo(a, phone) && DirectLineClient.Text(a)!.StartsWith("Спасибо! Перезвоним", StringComparison.Ordinal));

        var requests = await Eventually.WaitAsync(async () =>
        {
            var list = await api.GetFromJsonAsync<JsonArray>("/api/v1/callback-requests");
            return list!.Count == 1 ? list : null;
        });
        Assert.Equal("+79123456789", requests[0]!["contacts"]!["callback_phone"]!.GetValue<string>());
        // A callback request, not a handoff: nobody is there to take the dialog.
        Assert.Empty((await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!);

        var bye = await chat.SendAsync("На этом всё, до свидания");
        await chat.WaitForBotAsync(a => ReplyTo(a, bye) && DirectLineClient.Text(a) == "Всего доброго!");
        await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=closed"))!.Count == 1 ? true : (bool?)null);
    }

    private static bool ReplyTo(JsonObject activity, string messageId) => activity["replyToId"]?.GetValue<string>() == messageId;
}
