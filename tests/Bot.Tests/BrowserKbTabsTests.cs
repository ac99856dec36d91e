using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The KB editor's scenario parts (a slot created from the article form, conditions, an uploaded picture) end to end to
/// a web chat client, and the tabs for agents, calendars, record types and the bot's settings, with errors in the page's language.
/// </summary>
public sealed partial class BrowserTests
{
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    [Fact]
    public async Task An_editor_builds_a_scenario_with_a_new_phone_slot_a_condition_and_a_picture_and_a_client_gets_it()
    {
        await CreateKbOperatorAsync("author", "view_kb", "modify_knowledgebase");
        var page = await SignInToKbAsync("author", "ru-RU");
        await page.ClickAsync("#new");
        await page.FillAsync("#a-id", "доставка_карты");
        await page.FillAsync("#a-title", "Доставка карты курьером");
        await page.FillAsync("#a-questions", "Когда привезут мою карту курьером?\nДоставка карты курьером");

        // A new phone slot, made in a dialog over the form; its error is in Russian at the mask field.
        await page.ClickAsync("#a-slot-create");
        var dialog = page.Locator("#slot-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await dialog.Locator("[name=id]").FillAsync("телефон_доставки");
        await dialog.Locator("[name=name]").FillAsync("Телефон для курьера");
        await dialog.Locator("[name=type]").SelectOptionAsync("phone");
        await Assertions.Expect(dialog.Locator("[name=items]")).ToBeHiddenAsync();
        await dialog.Locator("[name='question.text']").FillAsync("Какой номер дать курьеру?");
        await dialog.Locator("[name=mask]").FillAsync("+7 ###");
        await dialog.Locator("#ent-save").ClickAsync();
        await Assertions.Expect(dialog.Locator("label:has([name=mask]) + .field-error")).ToHaveTextAsync("в маске должно быть от 10 до 15 цифр («#» или цифра)", new() { Timeout = 10_000 });
        await KbScreenshotsAsync(page, "slot-dialog-ru");
        await dialog.Locator("[name=mask]").FillAsync("+7 (###) ###-##-##");
        await dialog.Locator("#ent-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#a-slots li[data-slot='телефон_доставки']")).ToContainTextAsync("Телефон для курьера");

        // Answer 1: the slot's value in the text, a button to another article and an uploaded picture.
        var first = page.Locator(".answer").First;
        await first.Locator("textarea").FillAsync("Курьер позвонит на {{телефон_доставки}} накануне.");
        await first.GetByRole(AriaRole.Button, new() { Name = "Добавить кнопку" }).ClickAsync();
        await first.Locator(".button-row input").First.FillAsync("Заблокировать карту");
        await first.Locator(".button-row input").Nth(1).FillAsync("card_block_ru");
        await first.Locator(".answer-attachments input[type=file]").SetInputFilesAsync(new FilePayload { Name = "курьер.png", MimeType = "image/png", Buffer = Convert.FromBase64String(OnePixelPng) });
        await Assertions.Expect(first.Locator(".attachment-row img.thumb")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        // Answer 2 only for Moscow numbers: a condition on the slot.
        await page.ClickAsync("#add-answer");
        var second = page.Locator(".answer").Nth(1);
        await second.Locator("textarea").FillAsync("По Москве доставка бесплатная.");
        await second.GetByRole(AriaRole.Button, new() { Name = "Добавить условие" }).ClickAsync();
        var condition = second.Locator(".condition-row");
        await Assertions.Expect(condition.Locator("select").First).ToHaveValueAsync("телефон_доставки");
        await condition.Locator("select").Nth(1).SelectOptionAsync("greaterThan");
        await condition.Locator("input").FillAsync("много");
        await page.ClickAsync("#save");
        // The API's refusal, in Russian at the condition's value.
        await Assertions.Expect(second.Locator(".condition-row + .field-error")).ToHaveTextAsync("нужно число", new() { Timeout = 10_000 });
        await condition.Locator("select").Nth(1).SelectOptionAsync("matches");
        await condition.Locator("input").FillAsync(@"^\+749[59]");

        // The test panel with the unsaved article: the slot question, then the value, the top three and both answers.
        await page.FillAsync("#test-text", "Когда привезут мою карту курьером?");
        await page.ClickAsync("#test-form button[type=submit]");
        await Assertions.Expect(page.Locator("#test-log .msg.bot").Last).ToContainTextAsync("Какой номер дать курьеру?", new() { Timeout = 10_000 });
        await page.FillAsync("#test-text", "+7 495 123-45-67");
        await page.ClickAsync("#test-form button[type=submit]");
        var trial = page.Locator("#test-log .trial").Nth(1);
        await Assertions.Expect(trial.Locator(".slots")).ToContainTextAsync("телефон_доставки = +74951234567", new() { Timeout = 10_000 });
        await Assertions.Expect(trial.Locator(".top3 .candidate")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#test-log .msg.bot", new() { HasText = "По Москве доставка бесплатная." })).ToHaveCountAsync(1);

        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-notice")).ToHaveTextAsync("Сохранено", new() { Timeout = 10_000 });
        await KbScreenshotsAsync(page, "scenario-ru");

        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var stored = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/articles/" + Uri.EscapeDataString("доставка_карты")))!;
        Assert.Equal("телефон_доставки", stored["slots"]![0]!.GetValue<string>());
        var fileId = stored["answers"]![0]!["attachments"]![0]!["fileId"]!.GetValue<string>();
        Assert.Equal("image/png", stored["answers"]![0]!["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.Equal("matches", stored["answers"]![1]!["conditions"]![0]!["operator"]!.GetValue<string>());

        // A client on the web chat gets exactly that: the question, then the text with the number, the picture, the button, the Moscow line.
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        await chat.SendAsync("Когда привезут мою карту курьером?");
        await chat.WaitForBotAsync(a => a["text"]?.GetValue<string>() == "Какой номер дать курьеру?");
        await chat.SendAsync("+7 495 123-45-67");
        var answer = await chat.WaitForBotAsync(a => a["text"]?.GetValue<string>()?.StartsWith("Курьер позвонит", StringComparison.Ordinal) == true);
        Assert.Equal("Курьер позвонит на +7 (495) 123-45-67 накануне.", answer["text"]!.GetValue<string>());
        Assert.Contains(fileId, answer["attachments"]!.AsArray().Select(a => a!["contentUrl"]?.GetValue<string>() ?? "").Single(u => u.Contains(fileId, StringComparison.Ordinal)));
        Assert.Contains("Заблокировать карту", answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await chat.WaitForBotAsync(a => a["text"]?.GetValue<string>() == "По Москве доставка бесплатная.");
    }

    [Fact]
    public async Task The_tabs_keep_an_agents_secret_write_only_and_save_calendars_record_types_and_the_bots_threshold()
    {
        await CreateKbOperatorAsync("keeper", "view_kb", "modify_knowledgebase");
        var page = await SignInToKbAsync("keeper", "en-US");
        var runtime = _engine.Services.GetRequiredService<KnowledgeRuntime>();

        // An external agent: the secret's rule in English at its field; once stored it is never shown, and kept when left empty.
        await page.ClickAsync("#tabs a[data-tab='agents']");
        await page.ClickAsync("#ent-new");
        var agent = page.Locator("#form-agents");
        await agent.Locator("[name=id]").FillAsync("crm_bot");
        await agent.Locator("[name=name]").FillAsync("CRM bot");
        await agent.Locator("[name=url]").FillAsync("http://127.0.0.1:9/agent");
        await agent.Locator("[name=secret]").FillAsync("short");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(agent.Locator("label:has([name=secret]) + .field-error")).ToHaveTextAsync("at least 16 characters", new() { Timeout = 10_000 });
        await agent.Locator("[name=secret]").FillAsync("a-long-enough-secret-1234");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(page.Locator("#ent-notice")).ToHaveTextAsync("Saved", new() { Timeout = 10_000 });
        await Assertions.Expect(agent.Locator("[name=secret]")).ToHaveValueAsync("");
        await Assertions.Expect(agent.Locator("[name=secret]")).ToHaveAttributeAsync("placeholder", "Stored and never shown; leave empty to keep it");
        await agent.Locator("[name=name]").FillAsync("CRM bot (renamed)");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(page.Locator("#ent-items li[data-key='crm_bot']")).ToContainTextAsync("CRM bot (renamed)", new() { Timeout = 10_000 });
        var stored = runtime.Document.Agents.Single(a => a.Id == "crm_bot");
        Assert.Equal(("CRM bot (renamed)", "a-long-enough-secret-1234"), (stored.Name, stored.Secret));
        // How long a later (202) answer may take, and where the dialog goes without it: refused out of range at the field.
        await agent.Locator("[name=answerTimeoutSeconds]").FillAsync("5");
        await agent.Locator("[name=fallback]").SelectOptionAsync("bot");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(agent.Locator("label:has([name=answerTimeoutSeconds]) + .field-error")).ToHaveTextAsync("allowed: 10–86400", new() { Timeout = 10_000 });
        await KbScreenshotsAsync(page, "agent-en");
        await agent.Locator("[name=answerTimeoutSeconds]").FillAsync("600");
        await page.ClickAsync("#ent-save");
        stored = await Eventually.WaitAsync(() => Task.FromResult(runtime.Document.Agents.FirstOrDefault(a => a.Id == "crm_bot" && a.AnswerTimeoutSeconds == 600)));
        Assert.Equal(AgentFallback.Bot, stored.Fallback);

        // A calendar for one call centre: a bad holiday is refused at its field, then Saturday hours and a holiday are stored.
        await page.ClickAsync("#tabs a[data-tab='calendars']");
        await page.ClickAsync("#ent-new");
        var calendar = page.Locator("#form-calendars");
        await calendar.Locator("[name=callCentre]").FillAsync("spb");
        await calendar.Locator("tr[data-day='saturday'] .open").CheckAsync();
        await calendar.Locator("tr[data-day='saturday'] .from").FillAsync("10:00");
        await calendar.Locator("tr[data-day='saturday'] .to").FillAsync("16:00");
        await calendar.Locator("[name=holidays]").FillAsync("2027-01-07\n2027-13-01");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(calendar.Locator(".field-error")).ToHaveTextAsync("“2027-13-01” is not a date (YYYY-MM-DD)", new() { Timeout = 10_000 });
        await calendar.Locator("[name=holidays]").FillAsync("2027-01-07");
        await calendar.Locator("[name='outOfHours.text.en']").FillAsync("We are closed; an operator will write back in the morning.");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(page.Locator("#ent-items li[data-key='spb']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var spb = runtime.Document.Calendars.Single(c => c.CallCentre == "spb");
        Assert.Equal(6, spb.Week.Count);
        Assert.Contains(spb.Week, h => h is { Day: DayOfWeek.Saturday, From: "10:00", To: "16:00" });
        Assert.Equal(["2027-01-07"], spb.Holidays);
        Assert.Equal("We are closed; an operator will write back in the morning.", spb.OutOfHours.Text["en"]);

        // A record type made here is offered in the articles table's filter.
        await page.ClickAsync("#tabs a[data-tab='record-types']");
        await page.ClickAsync("#ent-new");
        await page.Locator("#form-record-types [name=id]").FillAsync("FAQ");
        await page.Locator("#form-record-types [name=name]").FillAsync("Frequent questions");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(page.Locator("#ent-items li[data-key='FAQ']")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // The bot's threshold: out of range is refused in the page's words; 0.5 is stored and used by the test panel.
        await page.ClickAsync("#tabs a[data-tab='settings']");
        var settings = page.Locator("#form-settings");
        await Assertions.Expect(settings.Locator("[name='greetingArticle.en']")).ToHaveValueAsync("greeting_en", new() { Timeout = 10_000 });
        await settings.Locator("[name=minConfidence]").FillAsync("2");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(settings.Locator(".field-error")).ToHaveTextAsync("allowed: 0–1", new() { Timeout = 10_000 });
        await settings.Locator("[name=minConfidence]").FillAsync("0.5");
        await page.ClickAsync("#ent-save");
        await Assertions.Expect(page.Locator("#ent-notice")).ToHaveTextAsync("Saved", new() { Timeout = 10_000 });
        Assert.Equal(0.5, runtime.Document.Settings.MinConfidence);
        await KbScreenshotsAsync(page, "settings-en");

        await page.ClickAsync("#tabs a[data-tab='articles']");
        await Assertions.Expect(page.Locator("#f-type option[value='FAQ']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var trial = await (await admin.PostAsJsonAsync("/api/v1/kb/trial", new { text = "card", language = "en" })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(0.5, trial!["threshold"]!.GetValue<double>());
    }
    [Fact]
    public async Task An_editor_compares_two_versions_of_an_article_and_restores_the_older_one()
    {
        await CreateKbOperatorAsync("historian", "view_kb", "modify_knowledgebase");
        var page = await SignInToKbAsync("historian", "ru-RU");
        await page.FillAsync("#q", "блокировка карт");
        var row = page.Locator("#rows tr[data-id='card_block_ru']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#a-id")).ToHaveValueAsync("card_block_ru", new() { Timeout = 10_000 });
        var before = await page.InputValueAsync("#a-title");
        await page.FillAsync("#a-title", "Блокировка карты — новая редакция");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-notice")).ToHaveTextAsync("Сохранено", new() { Timeout = 10_000 });

        await page.Locator("#history summary").ClickAsync();
        var versions = page.Locator("#history-list li");
        await Assertions.Expect(versions).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Assertions.Expect(versions.First).ToContainTextAsync("historian");
        await Assertions.Expect(versions.Nth(1)).ToContainTextAsync("движок");
        await versions.First.Locator("input[type=checkbox]").CheckAsync();
        await versions.Nth(1).Locator("input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("#history-diff .removed")).ToContainTextAsync(before, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#history-diff .added")).ToContainTextAsync("Блокировка карты — новая редакция");
        await KbScreenshotsAsync(page, "history-ru");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await versions.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Восстановить" }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-notice")).ToContainTextAsync("восстановлена", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#a-title")).ToHaveValueAsync(before);
        await Assertions.Expect(versions).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        Assert.Equal(before, _engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Articles.Single(a => a.Id == "card_block_ru").Title);
    }
}
