using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>The knowledge base editor page (/kb): an editor's round trip, a reader's read-only view, and someone without view_kb.</summary>
public sealed partial class BrowserTests
{
    private const string NewPhrasing = "Заморозьте мою карточку прямо сейчас";

    [Fact]
    public async Task An_editor_finds_an_article_edits_a_phrasing_saves_and_tries_it_in_the_test_panel()
    {
        // A full name in the header, as editors have: the header's row must still hold every tab.
        await CreateKbOperatorAsync("editor", "Екатерина Александрова", ["view_kb", "modify_knowledgebase"]);
        var page = await SignInToKbAsync("editor", "ru-RU");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("База знаний");

        // Search as you type finds the article; the table is paged on the server.
        await Assertions.Expect(page.Locator("#rows tr")).ToHaveCountAsync(25, new() { Timeout = 10_000 });
        await page.Locator("#q").PressSequentiallyAsync("блокировка карт");
        await Assertions.Expect(page.Locator("#rows")).ToHaveAttributeAsync("aria-busy", "false", new() { Timeout = 10_000 });
        var row = page.Locator("#rows tr[data-id='card_block_ru']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#a-id")).ToHaveValueAsync("card_block_ru", new() { Timeout = 10_000 });

        // A phrasing another article has is flagged with that article's title; a new one is not.
        var questions = page.Locator("#a-questions");
        var original = await questions.InputValueAsync();
        await questions.FillAsync(original + "\nЯ потерял карту");
        await Assertions.Expect(page.Locator("#phrasing-issues li.other-article")).ToContainTextAsync("card_lost_ru", new() { Timeout = 10_000 });
        await questions.FillAsync(original + "\n" + NewPhrasing);
        await Assertions.Expect(page.Locator("#phrasing-issues li")).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // An error from the API is shown at the field it names, and nothing is saved.
        await page.FillAsync("#a-title", "");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#a-title")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"), new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("label:has(#a-title) + .field-error")).ToBeVisibleAsync();
        await page.FillAsync("#a-title", "Блокировка карты (ред.)");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-notice")).ToHaveTextAsync("Сохранено", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(".field-error")).ToHaveCountAsync(0);

        // The change is stored and shown: in the API, in the table, and in the form when the article is opened again.
        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var stored = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/articles/card_block_ru"))!;
        Assert.Contains(NewPhrasing, stored["questions"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal("Блокировка карты (ред.)", stored["title"]!.GetValue<string>());
        Assert.NotEmpty(stored["answers"]![0]!["buttons"]!.AsArray());
        await Assertions.Expect(row).ToContainTextAsync("Блокировка карты (ред.)", new() { Timeout = 10_000 });
        await page.Locator("#rows tr").First.ClickAsync();
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#a-questions")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(NewPhrasing), new() { Timeout = 10_000 });

        // The test panel: the new phrasing picks the article word for word, with the classifier's top three beside it.
        await page.FillAsync("#test-text", NewPhrasing);
        await page.ClickAsync("#test-form button[type=submit]");
        var trial = page.Locator("#test-log .trial").Last;
        await Assertions.Expect(trial.Locator(".chosen")).ToContainTextAsync("card_block_ru", new() { Timeout = 10_000 });
        await Assertions.Expect(trial.Locator(".why")).ToContainTextAsync("дословно");
        await Assertions.Expect(trial.Locator(".top3 .candidate")).ToHaveCountAsync(3);
        await Assertions.Expect(trial.Locator(".top3 .candidate").First).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator("#test-log .msg.bot").Last).ToContainTextAsync("бесплатно");

        // With the unsaved form: a phrasing typed but not saved is already answered by the draft.
        await questions.FillAsync(await questions.InputValueAsync() + "\nКарточку надо срочно остановить");
        await page.FillAsync("#test-text", "Карточку надо срочно остановить");
        await page.ClickAsync("#test-form button[type=submit]");
        await Assertions.Expect(page.Locator("#test-log .trial")).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#test-log .trial").Last.Locator(".chosen")).ToContainTextAsync("card_block_ru");
        await Assertions.Expect(page.Locator("#test-log .trial").Last.Locator(".stale")).ToBeVisibleAsync();
        await KbScreenshotsAsync(page, "ru");

        // At 1280x800 the Russian tab bar is one line: as tall as one of its tabs.
        var bar = await page.Locator("#tabs").BoundingBoxAsync();
        var tab = await page.Locator("#tabs a").Last.BoundingBoxAsync();
        Assert.True(bar!.Height < tab!.Height * 1.5, $"the tab bar is {bar.Height}px tall, a tab {tab.Height}px");
    }

    [Fact]
    public async Task An_editor_creates_an_article_with_a_cyrillic_id_markdown_and_a_button_and_deletes_it()
    {
        await CreateKbOperatorAsync("writer", "view_kb", "modify_knowledgebase");
        var page = await SignInToKbAsync("writer", "ru-RU");
        await page.ClickAsync("#new");
        await page.FillAsync("#a-id", "вклад_онлайн");
        await page.FillAsync("#a-title", "Вклад онлайн");
        await page.SelectOptionAsync("#a-type", "KB");
        await page.FillAsync("#a-questions", "Как открыть вклад онлайн?\nОткрыть вклад в приложении");
        var answer = page.Locator(".answer").First;
        await answer.Locator("textarea").FillAsync("Откройте **«Вклады»** в приложении.");
        // The preview renders the Markdown as the client will see it.
        await Assertions.Expect(answer.Locator(".md-preview strong")).ToHaveTextAsync("«Вклады»");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Добавить кнопку" }).ClickAsync();
        await answer.Locator(".button-row input").First.FillAsync("Ставки");
        await answer.Locator(".button-row input").Nth(1).FillAsync("deposit_ru");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-notice")).ToHaveTextAsync("Сохранено", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#a-id")).ToHaveJSPropertyAsync("readOnly", true);

        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var stored = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/articles/" + Uri.EscapeDataString("вклад_онлайн")))!;
        Assert.Equal("KB", stored["recordType"]!.GetValue<string>());
        Assert.Equal(2, stored["questions"]!.AsArray().Count);
        var button = stored["answers"]![0]!["buttons"]![0]!;
        Assert.Equal("deposit_ru", button["article"]!.GetValue<string>());
        Assert.Equal("Откройте **«Вклады»** в приложении.", stored["answers"]![0]!["text"]!.GetValue<string>());

        // A button to a missing article is refused, and the error is shown at that button.
        await answer.Locator(".button-row input").Nth(1).FillAsync("нет_такой_статьи");
        await page.ClickAsync("#save");
        await Assertions.Expect(answer.Locator(".button-row input.invalid")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(answer.Locator(".field-error")).ToContainTextAsync("нет_такой_статьи");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#delete");
        await Assertions.Expect(page.Locator("#form-empty")).ToHaveTextAsync("Статья удалена", new() { Timeout = 10_000 });
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/kb/articles/" + Uri.EscapeDataString("вклад_онлайн"))).StatusCode);
    }

    [Fact]
    public async Task A_reader_gets_a_read_only_form_in_the_browsers_language_and_can_switch_it()
    {
        await CreateKbOperatorAsync("reader", "view_kb");
        var page = await SignInToKbAsync("reader", "en-US");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Knowledge base");
        await Assertions.Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#new")).ToBeHiddenAsync();

        await page.ClickAsync("th [data-sort='title']");
        await Assertions.Expect(page.Locator("th:has([data-sort='title'])")).ToHaveAttributeAsync("aria-sort", "ascending", new() { Timeout = 10_000 });
        await page.SelectOptionAsync("#f-language", "en");
        await page.FillAsync("#q", "block card");
        await Assertions.Expect(page.Locator("#rows")).ToHaveAttributeAsync("aria-busy", "false", new() { Timeout = 10_000 });
        var row = page.Locator("#rows tr[data-id='card_block_en']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#a-title")).ToBeDisabledAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#a-questions")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#save")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#delete")).ToBeHiddenAsync();
        // The Markdown preview shows the answer as the client sees it.
        await Assertions.Expect(page.Locator(".md-preview strong").First).ToBeVisibleAsync();

        // Reading is enough to test the bot (on the saved KB).
        await page.FillAsync("#test-text", "How do I block my card?");
        await page.PressAsync("#test-text", "Enter");
        await Assertions.Expect(page.Locator("#test-log .trial .chosen")).ToContainTextAsync("card_block_en", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#test-log .trial .top3 .candidate")).ToHaveCountAsync(3);
        await KbScreenshotsAsync(page, "en");

        // The language is switchable; the session stays.
        await page.SelectOptionAsync("#ui-language", "ru");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("База знаний", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#read-only")).ToContainTextAsync("Только просмотр", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Someone_without_view_kb_is_not_shown_the_knowledge_base()
    {
        await CreateKbOperatorAsync("agent", "handle_dialogs");
        var page = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
        await page.GotoAsync(new Uri(_engine.BaseUri, "/kb").ToString());
        await page.FillAsync("#login-name", "agent");
        await page.FillAsync("#login-password", "password-agent");
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("view_kb", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#editor")).ToBeHiddenAsync();
    }

    private Task CreateKbOperatorAsync(string login, params string[] permissions) => CreateKbOperatorAsync(login, login, permissions);

    private async Task CreateKbOperatorAsync(string login, string displayName, string[] permissions)
    {
        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var response = await admin.PostAsJsonAsync("/api/v1/operators", new { login, password = "password-" + login, displayName, permissions });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<IPage> SignInToKbAsync(string login, string locale)
    {
        var page = await _browser.NewPageAsync(new() { Locale = locale, ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(new Uri(_engine.BaseUri, "/kb").ToString());
        await page.FillAsync("#login-name", login);
        await page.FillAsync("#login-password", "password-" + login);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#editor")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        return page;
    }

    /// <summary>For looking at the page by eye: with BOTENGINE_SCREENSHOTS set to a folder, the page at two window sizes.</summary>
    private static async Task KbScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BOTENGINE_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"kb-{name}-{width}x{height}.png") });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
