using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The workplace's second part (issue 14) in Chromium: the topic kept on the server with the classifier's guess, the
/// Ctrl+Enter setting, inline PDF previews, a survey started from the knowledge panel and handed back, writing to a
/// client first, queue updates without polling, and signing out setting offline.
/// </summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_topic_is_kept_on_the_server_ctrl_enter_sends_when_chosen_and_own_pdfs_are_previewed_inline()
    {
        var desk = await OpenOperatorDialogWithClientAsync("Позовите оператора");
        var client = _lastClient!;
        await desk.ClickAsync("#accept");
        await Assertions.Expect(desk.Locator("#accept")).ToBeHiddenAsync(new() { Timeout = Wait });
        var dialogId = await desk.Locator("#mine .dialog-item.active").GetAttributeAsync("data-dialog-id");

        // The classifier's guess is preselected and marked as a guess; what the operator types is stored on the server.
        await Assertions.Expect(desk.Locator("#topic.suggested")).ToHaveCountAsync(1, new() { Timeout = Wait });
        Assert.NotEqual("", await desk.InputValueAsync("#topic"));
        await desk.FillAsync("#topic", "Кредиты");
        await desk.Locator("#topic").BlurAsync();
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await Eventually.WaitAsync(async () =>
            (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!["topic"]?.GetValue<string>() == "Кредиты" ? "" : null);

        // Ctrl+Enter sends once chosen; Enter is then a new line. The choice survives a reload (stored per operator).
        await desk.CheckAsync("#ctrl-enter");
        await Eventually.WaitAsync(async () =>
            (await api.GetFromJsonAsync<JsonObject>("/api/v1/operators/me/preferences"))!["sendKey"]!.GetValue<string>() == "ctrl_enter" ? "" : null);
        await desk.ReloadAsync();
        await Assertions.Expect(desk.Locator("#ctrl-enter")).ToBeCheckedAsync(new() { Timeout = Wait });
        await desk.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']").ClickAsync();
        await Assertions.Expect(desk.Locator("#topic")).ToHaveValueAsync("Кредиты", new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator("#topic.suggested")).ToHaveCountAsync(0);
        await desk.FillAsync("#reply-text", "Первая строка");
        await desk.PressAsync("#reply-text", "Enter");
        await desk.Locator("#reply-text").PressSequentiallyAsync("вторая строка");
        Assert.Equal("Первая строка\nвторая строка", await desk.InputValueAsync("#reply-text"));
        await desk.PressAsync("#reply-text", "Control+Enter");
        await Assertions.Expect(desk.Locator("#reply-text")).ToHaveValueAsync("", new() { Timeout = Wait });
        await Assertions.Expect(client.Locator("#log").GetByText("вторая строка")).ToBeVisibleAsync(new() { Timeout = Wait });
        await desk.ClickAsync("#help");
        await Assertions.Expect(desk.Locator("#help-ctrl-enter")).ToBeVisibleAsync();
        await Assertions.Expect(desk.Locator("#help-enter")).ToBeHiddenAsync();
        StringAssert(await desk.Locator("#reply-text").GetAttributeAsync("placeholder"), "Ctrl+Enter — отправить");
        await desk.ClickAsync("#help-close");

        // The engine's own PDF is previewed in the transcript (and can still be downloaded); another file is a download only.
        var pdf = await UploadAsync(api, "выписка.pdf", "application/pdf", MinimalPdf());
        var text = await UploadAsync(api, "заметка.txt", "text/plain", Encoding.UTF8.GetBytes("просто текст"));
        (await api.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Документы", attachments = new[] { pdf, text } })).EnsureSuccessStatusCode();
        var frame = desk.Locator("#history iframe.pdf-preview");
        await Assertions.Expect(frame).ToHaveCountAsync(1, new() { Timeout = Wait });
        StringAssert(await frame.GetAttributeAsync("src"), "?preview=1");
        await Assertions.Expect(desk.Locator("#history a.file", new() { HasText = "выписка.pdf" })).ToHaveCountAsync(1);
        await Assertions.Expect(desk.Locator("#history a.file", new() { HasText = "заметка.txt" })).ToHaveCountAsync(1);
        await frame.ScrollIntoViewIfNeededAsync();
        // Chromium loads the preview into the frame (a blocked one would be its error page).
        await Eventually.WaitAsync(() => Task.FromResult(desk.Frames.FirstOrDefault(f => f.Url.Contains("preview=1", StringComparison.Ordinal)) is { } loaded ? loaded.Url : null));
        Assert.DoesNotContain(desk.Frames, f => f.Url.StartsWith("chrome-error:", StringComparison.Ordinal));
        await desk.ScreenshotAsync(new() { Path = ScreenshotPath("operator-pdf-ru-1280x800.png") });
    }

    [Fact]
    public async Task A_survey_started_from_the_knowledge_panel_is_asked_by_the_bot_and_the_dialog_comes_back()
    {
        var desk = await OpenOperatorDialogWithClientAsync("Позовите оператора");
        var client = _lastClient!;
        await desk.ClickAsync("#accept");
        await Assertions.Expect(desk.Locator("#accept")).ToBeHiddenAsync(new() { Timeout = Wait });
        var dialogId = await desk.Locator("#mine .dialog-item.active").GetAttributeAsync("data-dialog-id");
        await desk.Locator(".kb-panel .tab[data-tab='kb']").ClickAsync();
        await desk.FillAsync("#kb-search", "Заявка на блокировку карты в чате");
        var hit = desk.Locator("#kb-results .kb-hit[data-article-id='card_block_form_ru']");
        await Assertions.Expect(hit).ToBeVisibleAsync(new() { Timeout = Wait });
        await hit.ClickAsync();
        await Assertions.Expect(desk.Locator("#kb-survey")).ToBeVisibleAsync(new() { Timeout = Wait });
        await desk.ClickAsync("#kb-survey");
        await Assertions.Expect(desk.Locator("#pane-error")).ToContainTextAsync("Опрос запущен", new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']")).ToHaveCountAsync(0, new() { Timeout = Wait });

        await Assertions.Expect(client.Locator("#log").GetByText("Введите последние 4 цифры карты")).ToBeVisibleAsync(new() { Timeout = Wait });
        await client.FillAsync("#text", "5678");
        await client.PressAsync("#text", "Enter");
        await Assertions.Expect(client.Locator("#log").GetByText("Что случилось с картой?")).ToBeVisibleAsync(new() { Timeout = Wait });
        await client.FillAsync("#text", "украли");
        await client.PressAsync("#text", "Enter");
        await Assertions.Expect(client.Locator("#log").GetByText("•• 5678 принята")).ToBeVisibleAsync(new() { Timeout = Wait });

        // Back with the operator who started it, and the answers are on the client tab.
        var back = desk.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']");
        await Assertions.Expect(back).ToBeVisibleAsync(new() { Timeout = Wait });
        await back.ClickAsync();
        await desk.Locator(".kb-panel .tab[data-tab='client']").ClickAsync();
        await Assertions.Expect(desk.Locator("#slots-card")).ToContainTextAsync("5678", new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator("#slots-card")).ToContainTextAsync("stolen");
    }

    [Fact]
    public async Task An_operator_writes_to_a_client_first_sees_the_queue_without_polling_and_signing_out_sets_offline()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(api, "olga", languages: ["ru"]);
        var adminId = (await api.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        // A client who talked to an operator before; the dialog is closed.
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        await OperatorSteps.SetStatusAsync(api, "online");
        var old = await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned"))!.FirstOrDefault()?.AsObject());
        var oldId = old["id"]!.GetValue<string>();
        (await api.PostAsJsonAsync($"/api/v1/dialogs/{oldId}/close", new { topic = "Карты", clientDissatisfied = false })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/v1/clients/{old["clientId"]!.GetValue<string>()}", new { firstName = "Ольга", lastName = "Смирнова", phone = "+79161234567" })).EnsureSuccessStatusCode();
        await OperatorSteps.SetStatusAsync(api, "offline");

        var desk = await SignInAsync("admin", EngineHost.AdminPassword);
        await desk.ClickAsync("#start-open");
        await desk.FillAsync("#start-search", "Смирн");
        var found = desk.Locator("#start-results .start-hit");
        await Assertions.Expect(found).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(found).ToContainTextAsync("Ольга Смирнова");
        await found.ClickAsync();
        await Assertions.Expect(desk.Locator("#start-channel option")).ToHaveCountAsync(1, new() { Timeout = Wait });
        await desk.FillAsync("#start-text", "Здравствуйте! Ваша новая карта готова.");
        await desk.ScreenshotAsync(new() { Path = ScreenshotPath("operator-start-ru-1280x720.png") });
        // Offline: refused, in the page's words.
        await desk.ClickAsync("#start-send");
        await Assertions.Expect(desk.Locator("#start-error")).ToHaveTextAsync("Чтобы начать диалог, перейдите в статус «В сети»", new() { Timeout = Wait });
        await desk.PressAsync("#start-text", "Escape");
        await desk.SelectOptionAsync("#status", "online");
        await Assertions.Expect(desk.Locator("#status")).ToHaveValueAsync("online", new() { Timeout = Wait });
        await desk.ClickAsync("#start-open");
        await desk.FillAsync("#start-search", "+7 916 123-45-67");
        await desk.Locator("#start-results .start-hit").ClickAsync(new() { Timeout = Wait });
        await desk.FillAsync("#start-text", "Здравствуйте! Ваша новая карта готова.");
        await desk.ClickAsync("#start-send");
        await Assertions.Expect(desk.Locator("#start-overlay")).ToBeHiddenAsync(new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator("#conv-client")).ToHaveTextAsync("Ольга Смирнова", new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator("#history").GetByText("Ваша новая карта готова")).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(desk.Locator("#reply")).ToBeVisibleAsync();
        await chat.WaitForBotAsync(a => a["text"]?.GetValue<string>() == "Здравствуйте! Ваша новая карта готова.");

        // Olga (no supervisor rights) sees a new waiting dialog at once: the event stream nudges her page, nothing polls.
        var olga = await SignInAsync("olga", "password-olga");
        await Assertions.Expect(olga.Locator("#queue")).ToContainTextAsync("Очередь пуста", new() { Timeout = Wait });
        // The admin turns invisible (keeps the dialog, takes no new ones), so the next client waits in the queue.
        await desk.SelectOptionAsync("#status", "invisible");
        await Assertions.Expect(desk.Locator("#status")).ToHaveValueAsync("invisible", new() { Timeout = Wait });
        using var second = await DirectLineClient.StartAsync(_engine.BaseUri);
        await second.SendAsync("Позовите оператора");
        await Assertions.Expect(olga.Locator("#queue .dialog-item")).ToHaveCountAsync(1, new() { Timeout = 5_000 });

        // Signing out sets offline and returns the dialogs: the started one goes back to the queue.
        await desk.ClickAsync("#signout");
        await Assertions.Expect(desk.Locator("#login")).ToBeVisibleAsync(new() { Timeout = Wait });
        // Signing out ends every session of the operator: a new sign-in reads the result.
        using var again = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var me = (await again.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["id"]!.GetValue<string>() == adminId)!;
        Assert.Equal("offline", me["status"]!.GetValue<string>());
        await Assertions.Expect(olga.Locator("#queue .dialog-item")).ToHaveCountAsync(2, new() { Timeout = 5_000 });
    }

    [Fact]
    public async Task Closing_the_last_tab_sets_the_operator_offline_after_the_presence_timeout_and_returns_the_dialog()
    {
        // Presence:Timeout of 4 s instead of 2 min, heartbeats and checks each second; the real clock runs.
        var timeout = TimeSpan.FromSeconds(4);
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite,
            "--Presence:Timeout=00:00:04", "--Presence:HeartbeatInterval=00:00:01", "--Presence:CheckInterval=00:00:01");
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(api, "olga", languages: ["ru"]);
        var context = await _browser.NewContextAsync(new() { Locale = "ru-RU" });
        var first = await context.NewPageAsync();
        await first.GotoAsync(new Uri(engine.BaseUri, "/operator").ToString());
        await first.FillAsync("#login-name", "olga");
        await first.FillAsync("#login-password", "password-olga");
        await first.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(first.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = Wait });
        await first.SelectOptionAsync("#status", "online");
        await Assertions.Expect(first.Locator("#status")).ToHaveValueAsync("online", new() { Timeout = Wait });
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        var offered = first.Locator("#group-offered .dialog-item");
        await Assertions.Expect(offered).ToHaveCountAsync(1, new() { Timeout = Wait });
        await offered.ClickAsync();
        await first.ClickAsync("#accept");
        await Assertions.Expect(first.Locator("#group-active .dialog-item")).ToHaveCountAsync(1, new() { Timeout = Wait });
        var dialogId = (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=active"))!.Single()!["id"]!.GetValue<string>();

        // A second tab of the same operator; closing the first leaves her online past the timeout.
        var second = await context.NewPageAsync();
        await second.GotoAsync(new Uri(engine.BaseUri, "/operator").ToString());
        await Assertions.Expect(second.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = Wait });
        await first.CloseAsync();
        await Task.Delay(timeout * 2); // nothing to wait for: this checks that nothing happens
        Assert.Equal("online", await StatusOfAsync(api, "olga"));
        Assert.Equal("active", (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());

        // The last tab closes: after the timeout she is offline, and going offline returned her dialog to the queue.
        await second.CloseAsync();
        var closed = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(async () => await StatusOfAsync(api, "olga") == "offline" ? true : null, TimeSpan.FromSeconds(30));
        var after = DateTimeOffset.UtcNow - closed;
        Assert.True(after >= timeout - TimeSpan.FromSeconds(1), $"offline after {after.TotalSeconds:0.0} s, before the {timeout.TotalSeconds} s timeout");
        var dialog = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!;
        Assert.Equal("queued", dialog["state"]!.GetValue<string>());
        await context.CloseAsync();
    }

    private static async Task<string> StatusOfAsync(HttpClient api, string login) =>
        (await api.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["login"]!.GetValue<string>() == login)!["status"]!.GetValue<string>();

    private static void StringAssert(string? value, string part) => Assert.Contains(part, value ?? "", StringComparison.Ordinal);

    private static async Task<string> UploadAsync(HttpClient api, string name, string type, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(content, "file", name);
        var response = await api.PostAsync("/api/v1/files", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>A one-page PDF with a line of text, written out with its cross-reference table.</summary>
    private static byte[] MinimalPdf()
    {
        const string stream = "BT /F1 24 Tf 40 100 Td (Statement) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
            pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
