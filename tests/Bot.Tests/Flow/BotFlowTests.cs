using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>The bot's side of a dialog on the in-process engine: KB answers, buttons, scenarios with slots, handoff, close.</summary>
public sealed class BotFlowTests
{
    private const string AskDigits = "Введите последние 4 цифры карты, которую нужно заблокировать.";
    private const string DigitsHint = "Нужны ровно 4 цифры, например 1234. Полный номер карты писать не нужно.";
    private const string AskReason = "Что случилось с картой?";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Bot_answers_from_the_knowledge_base_and_hands_off_on_request(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        var article = kb.Articles.First(a => a.Id == "card_block_ru");
        string? target = null;

        await engine.Flow()
            .Send("Здравствуйте")
            .ExpectReply(r =>
            {
                Assert.Equal(FirstAnswer(kb, kb.Settings.GreetingArticle["ru"]), r.Text);
                Assert.NotEmpty(r.Buttons);
            })
            .Send("Как мне заблокировать свою карту?")
            .ExpectAnswer(article.Answers[0].Text)
            // A button is a messageBack whose value names the target article.
            .Then(c => target = c.LastReply!.Buttons.First(b => b.Type == "messageBack").Value!["article"]!.GetValue<string>())
            .Press(b => b.Type == "messageBack")
            .ExpectAnswer(r => Assert.Equal(FirstAnswer(kb, target!), r.Text))
            .Send("Позовите оператора")
            .ExpectDialogState(DialogStates.Queued, d =>
            {
                Assert.Equal("directline", d.Channel);
                Assert.Null(d.OperatorId);
            });
    }

    [Fact]
    public async Task Two_misses_in_a_row_hand_the_dialog_off()
    {
        await using var engine = await FlowEngine.StartAsync();
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        await engine.Flow()
            .Send("фыва олдж пролд")
            .ExpectAnswer(kb.Settings.FallbackText["ru"])
            .Send("ячсм ждлорп")
            .ExpectDialogState(DialogStates.Queued);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Card_block_form_asks_validates_re_asks_and_answers_by_condition(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        await engine.Flow()
            .Send("Заявка на блокировку карты")
            .ExpectAnswer(AskDigits)
            // Invalid input: the hint, then the question again.
            .Send("не помню")
            .ExpectAnswer(DigitsHint)
            .ExpectAnswer(AskDigits)
            .Send("кажется 4417")
            .ExpectAnswer(r =>
            {
                Assert.Equal(AskReason, r.Text);
                Assert.Equal("messageBack", r.Button("Украдена").Type);
            })
            // The dictionary button's payload comes back as the messageBack value.
            .Press("Украдена")
            .ExpectAnswer(r => Assert.StartsWith("Заявка на блокировку карты •• 4417 принята", r.Text, StringComparison.Ordinal))
            .ExpectAnswer(r => Assert.StartsWith("Если карту украли", r.Text, StringComparison.Ordinal))
            // Only the condition that holds answers: no "Новую карту" branch.
            .ExpectNoMoreReplies()
            // The slots persist in the dialog: the next run asks whether the card is still the same (the reason has
            // no such question, so it is kept), and "cancel" leaves the scenario.
            .Send("Заявка на блокировку карты")
            .ExpectAnswer("Блокируем карту, которая заканчивается на 4417?")
            .Press("Да")
            .ExpectAnswer(r => Assert.StartsWith("Заявка на блокировку карты •• 4417 принята", r.Text, StringComparison.Ordinal))
            .Send("Заявка на блокировку карты")
            .ExpectAnswer("Блокируем карту, которая заканчивается на 4417?")
            .Send("отмена")
            .ExpectAnswer("Хорошо, отменили.")
            .Send("Как заблокировать карту?")
            .ExpectAnswer(r => Assert.StartsWith("Заблокировать карту можно", r.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Out_of_hours_the_client_leaves_a_phone_and_the_bot_closes_the_dialog()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var api = await engine.OperatorAsync();
        await ImportOutOfHoursAsync(api);

        // The closed calendar's notice replaces the operator article's "connecting you", and the handoff becomes a callback form.
        await LeavesAPhone(engine.Flow())
            .Then(async _ =>
            {
                // The request is stored with the turn that answered.
                var requests = (await api.GetFromJsonAsync<JsonArray>("/api/v1/callback-requests"))!;
                Assert.Equal("+79123456789", Assert.Single(requests)!["contacts"]!["callback_phone"]!.GetValue<string>());
                // A callback request, not a handoff: nobody is there to take the dialog.
                Assert.Empty((await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!);
            })
            .Send("На этом всё, до свидания")
            .ExpectAnswer("Всего доброго!")
            .ExpectDialogState(DialogStates.Closed);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task After_the_bot_closes_the_dialog_the_next_message_opens_a_new_one_and_the_one_after_stays_in_it(StorageKind storage)
    {
        // On PostgreSQL a message is appended with the dialog the node remembers for the conversation, unread: a closed
        // one must send it to the full path, and the new dialog must be the one remembered from then on.
        await using var engine = await FlowEngine.StartAsync(storage);
        using var api = await engine.OperatorAsync();
        await ImportOutOfHoursAsync(api);
        string closed = "", reopened = "";

        await LeavesAPhone(engine.Flow())
            .Send("На этом всё, до свидания")
            .ExpectAnswer("Всего доброго!")
            .ExpectDialogState(DialogStates.Closed, inspect: d => closed = d.Id)
            .Send("Позовите оператора")
            .ExpectAnswer("Сейчас нерабочее время.")
            .ExpectAnswer("Операторы сейчас не работают. Оставьте телефон — мы перезвоним.")
            .ExpectDialogState(DialogStates.Bot, inspect: d => reopened = d.Id)
            .Send("8 912 345-67-89")
            .ExpectAnswer(r => Assert.StartsWith("Спасибо! Перезвоним", r.Text, StringComparison.Ordinal))
            .ExpectDialog(d => d.Id == reopened);
        Assert.NotEqual(closed, reopened);
        var history = (await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{reopened}/messages"))!;
        Assert.Equal(["Позовите оператора", "8 912 345-67-89"],
            history.Where(m => m!["author"]!.GetValue<string>() == "client").Select(m => m!["text"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Operator_takes_the_dialog_replies_and_closes_it(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "olga", password = "olga-password", displayName = "Ольга" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var olga = await engine.OperatorAsync("olga", "olga-password");
        var me = (await olga.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!;
        Assert.Equal(3, me["maxDialogs"]!.GetValue<int>());
        var olgaId = me["id"]!.GetValue<string>();
        string dialogId = "";

        await engine.Flow()
            .Send("Хочу поговорить с живым человеком")
            .ExpectDialogState(DialogStates.Queued)
            .Then(_ => OperatorSteps.SetStatusAsync(olga, "online"))
            .ExpectDialog(d => d.OperatorId == olgaId, inspect: d => dialogId = d.Id)
            .Then(async c =>
            {
                var history = (await olga.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
                Assert.Contains(history, m => m!["author"]!.GetValue<string>() == "client" && m["text"]!.GetValue<string>() == "Хочу поговорить с живым человеком");
            })
            // Her first reply accepts the offered dialog: the client hears she joined, then her answer.
            .Then(async _ => Assert.Equal(HttpStatusCode.OK,
                (await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Добрый день! Меня зовут Ольга, чем помочь?" })).StatusCode))
            .ExpectReplyEventually(r => r.Text == "Оператор Ольга подключился к диалогу.")
            .ExpectReplyEventually(r => r.Text == "Добрый день! Меня зовут Ольга, чем помочь?" && r.FromName == "Ольга")
            // The client's messages now go to the operator, not the bot.
            .Send("Не проходит платёж по карте")
            .ExpectNoMoreReplies()
            .Then(async _ =>
            {
                Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Платежи" })).StatusCode);
                Assert.Equal("closed", (await olga.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());
                Assert.Equal(HttpStatusCode.Conflict, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "ещё" })).StatusCode);
            })
            // After closing, the client's next message opens a new dialog with the bot.
            .Send("Здравствуйте")
            .Then(c => c.ReplyMatchingAsync(r => r.ReplyToId == c.LastSentId, "the bot's answer in the new dialog"))
            .Then(async c =>
            {
                // The new dialog is with the bot, not Olga: a supervisor (the admin) sees it.
                var open = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=bot"))!;
                Assert.Equal(c.DialogId, Assert.Single(open)!["id"]!.GetValue<string>());
                Assert.NotEqual(dialogId, c.DialogId);
            });
    }

    [Fact]
    public async Task A_flow_fails_at_the_step_whose_expectation_does_not_hold()
    {
        await using var engine = await FlowEngine.StartAsync();
        var wrongText = await Assert.ThrowsAsync<FlowStepException>(async () => await engine.Flow()
            .Send("Как заблокировать карту?")
            .ExpectAnswer("Не тот ответ"));
        Assert.StartsWith("Step 2 of 2 failed: Expected the answer \"Не тот ответ\"", wrongText.Message, StringComparison.Ordinal);

        // The dialog stays with the bot, so waiting for a handoff runs out (with a short limit here) instead of passing.
        var client = engine.Client("user-2");
        await client.SendAsync("Как заблокировать карту?");
        await Assert.ThrowsAsync<TimeoutException>(() => engine.WaitAsync(
            async () => (await client.DialogAsync()).State == DialogStates.Queued, "a handoff that never comes", timeout: TimeSpan.FromSeconds(1)));
    }

    /// <summary>A knowledge base whose calendar is closed now: asking for an operator leaves a phone number instead.</summary>
    private static async Task ImportOutOfHoursAsync(HttpClient api)
    {
        var import = await api.PostAsync("/api/v1/kb/import", new StringContent(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KbFixtures", "out-of-hours.json")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
    }

    /// <summary>Out of hours (<see cref="ImportOutOfHoursAsync"/>): the client asks for an operator and leaves a phone number.</summary>
    private static TestFlow LeavesAPhone(TestFlow flow) => flow
        .Send("Позовите оператора")
        .ExpectAnswer("Сейчас нерабочее время.")
        .ExpectAnswer("Операторы сейчас не работают. Оставьте телефон — мы перезвоним.")
        .Send("8 912 345-67-89")
        .ExpectAnswer(r => Assert.StartsWith("Спасибо! Перезвоним", r.Text, StringComparison.Ordinal));

    private static string FirstAnswer(KbDocument kb, string articleId) => kb.Articles.Single(a => a.Id == articleId).Answers[0].Text;
}
