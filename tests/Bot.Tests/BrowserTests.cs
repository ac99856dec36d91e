using Microsoft.Extensions.Logging;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>Headless Chromium (Debian's) driven by Playwright: Microsoft's WebChat and our own pages against a real engine.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BrowserTests : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private EngineHost _engine = null!;
    private WebApplication? _site;

    public async Task InitializeAsync()
    {
        _engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_site is not null)
            await _site.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Microsoft_webchat_shows_the_bots_answer()
    {
        var page = await OpenWebChatAsync();
        await SendInWebChatAsync(page, "Как заблокировать карту?");
        var expected = PlainStart(Article("card_block_ru"));
        await Assertions.Expect(page.GetByText(expected).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // The client's own message stays on the client's side, once, although the engine (not WebChat's userID) names the sender.
        var own = page.Locator(".webchat__bubble--from-user").GetByText("Как заблокировать карту?");
        await Assertions.Expect(own).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByText("Send failed")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_operator_reply_reaches_microsoft_webchat()
    {
        var page = await OpenWebChatAsync();
        await SendInWebChatAsync(page, "Позовите оператора");
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await api.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" });
        var dialog = await Eventually.WaitAsync(async () =>
        {
            var list = await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned");
            return list!.Count == 1 ? list[0]!.AsObject() : null;
        });
        var reply = await api.PostAsJsonAsync($"/api/v1/dialogs/{dialog["id"]}/messages", new { text = "Оператор Ирина на связи, номер обращения 4711" });
        reply.EnsureSuccessStatusCode();
        await Assertions.Expect(page.GetByText("номер обращения 4711").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task Client_chats_on_the_built_in_page_and_an_operator_answers_from_the_operator_page()
    {
        var client = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
        await OpenBuiltInChatAsync(client);
        await client.FillAsync("#text", "Здравствуйте");
        await client.PressAsync("#text", "Enter");
        await Assertions.Expect(client.GetByText(PlainStart(Article("greeting_ru"))).First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // A suggested action button opens the linked article.
        var greeting = _engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb.Articles.Single(a => a.Id == "greeting_ru");
        var button = greeting.Answers[0].Buttons.First(b => b.Article is not null);
        await client.GetByRole(AriaRole.Button, new() { Name = button.Label, Exact = true }).ClickAsync();
        await Assertions.Expect(client.GetByText(PlainStart(Article(button.Article!))).First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        await client.FillAsync("#text", "Позовите оператора");
        await client.PressAsync("#text", "Enter");

        var desk = await OpenOperatorDialogAsync();
        await Assertions.Expect(desk.Locator("#history").GetByText("Позовите оператора")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await desk.FillAsync("#reply-text", "Здравствуйте, я оператор. Чем помочь?");
        await desk.PressAsync("#reply-text", "Enter");

        await Assertions.Expect(client.GetByText("Здравствуйте, я оператор. Чем помочь?")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // The topic chosen during the dialog is offered in the close confirmation, which asks for the verdict too.
        await desk.FillAsync("#topic", "Консультация");
        await desk.ClickAsync("#close");
        await Assertions.Expect(desk.Locator("#close-topic")).ToHaveValueAsync("Консультация", new() { Timeout = 10_000 });
        await desk.SelectOptionAsync("#dissatisfied", "no");
        await desk.ClickAsync("#close-confirm");
        await Assertions.Expect(desk.Locator("#mine .dialog-item")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var closed = (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=closed"))!;
        Assert.Single(closed);
    }

    [Fact]
    public async Task An_operator_transfers_with_a_note_by_skills_and_language_or_to_a_colleague_and_the_receiver_accepts()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(api, "olga", languages: ["ru"]);
        var admin = await SignInAsync("admin", EngineHost.AdminPassword);
        await admin.SelectOptionAsync("#status", "online");
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        var item = admin.Locator("#mine .dialog-item").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var dialogId = await item.GetAttributeAsync("data-dialog-id");

        var olga = await SignInAsync("olga", "password-olga");
        await olga.SelectOptionAsync("#status", "online");
        using var olgaApi = _engine.OperatorClient(await _engine.OperatorTokenAsync("olga", "password-olga"));
        var olgaId = (await olgaApi.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        var adminId = (await api.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/operators/{olgaId}", new { skills = new[] { "cards" } })).StatusCode);

        // The admin sends it to the queue of Russian speakers with the "cards" skill (only Olga), with a note.
        await item.ClickAsync();
        await admin.ClickAsync("#transfer-open");
        await Assertions.Expect(admin.Locator("#transfer-language option[value='ru']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(admin.Locator("#transfer-language")).ToBeHiddenAsync(); // an operator is picked first: no queue fields
        await admin.SelectOptionAsync("#transfer-target", "queue:");
        await admin.SelectOptionAsync("#transfer-language", "ru");
        await admin.FillAsync("#transfer-skills", "cards");
        await admin.FillAsync("#transfer-note", "Клиент ждёт выписку по карте");
        await admin.ScreenshotAsync(new() { Path = ScreenshotPath("operator-transfer-ru-1280x720.png") });
        await admin.ClickAsync("#transfer");
        await Assertions.Expect(admin.Locator("#mine .dialog-item")).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // Olga sees the note first, accepts (the note is then done with), and passes it to the admin by name.
        var received = olga.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']");
        await Assertions.Expect(received).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await received.ClickAsync();
        await Assertions.Expect(olga.Locator("#note")).ToContainTextAsync("Клиент ждёт выписку по карте", new() { Timeout = 10_000 });
        await olga.ClickAsync("#accept");
        await Assertions.Expect(olga.Locator("#accept")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(olga.Locator("#note")).ToBeHiddenAsync();
        await olga.ClickAsync("#transfer-open");
        await Assertions.Expect(olga.Locator($"#transfer-target option[value='operator:{adminId}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await olga.SelectOptionAsync("#transfer-target", $"operator:{adminId}");
        await olga.FillAsync("#transfer-note", "Выписку отправила, нужен ответ по лимиту");
        await olga.ClickAsync("#transfer");
        await Assertions.Expect(olga.Locator("#mine .dialog-item")).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // The admin accepts it back and gives the dialog to the bot.
        var back = admin.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']");
        await Assertions.Expect(back).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await back.ClickAsync();
        await Assertions.Expect(admin.Locator("#note")).ToContainTextAsync("нужен ответ по лимиту", new() { Timeout = 10_000 });
        await admin.ClickAsync("#accept");
        await Assertions.Expect(admin.Locator("#accept")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await admin.ClickAsync("#transfer-open");
        await admin.SelectOptionAsync("#transfer-target", "bot");
        await admin.ClickAsync("#transfer");
        await Assertions.Expect(admin.Locator("#mine .dialog-item")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Assert.Equal("bot", (await api.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());
    }

    private async Task<IPage> SignInAsync(string login, string password)
    {
        var page = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
        await page.GotoAsync(new Uri(_engine.BaseUri, "/operator").ToString());
        await page.FillAsync("#login-name", login);
        await page.FillAsync("#login-password", password);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        return page;
    }

    /// <summary>
    /// The built-in chat page, once its script has started a conversation. A message typed before the script runs is a
    /// plain form submit that reloads the page and is lost (seen once in a loaded run: no bubble, no answer).
    /// </summary>
    private async Task OpenBuiltInChatAsync(IPage client)
    {
        await client.GotoAsync(new Uri(_engine.BaseUri, "/").ToString());
        await client.WaitForFunctionAsync("() => sessionStorage.getItem('botengine.webchat') !== null", null, new() { Timeout = 20_000 });
    }

    private async Task<IPage> OpenWebChatAsync()
    {
        var bundle = Environment.GetEnvironmentVariable("BOTENGINE_WEBCHAT_JS")
            ?? throw new InvalidOperationException("BOTENGINE_WEBCHAT_JS is not set: run ./test.sh, which installs botframework-webchat 4.18.1.");
        // As a site backend would: exchange the secret for a conversation token.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        var token = (await (await _engine.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();

        var html = $$"""
            <!doctype html><html><head><meta charset="utf-8"><script src="/webchat.js"></script></head>
            <body><div id="webchat" style="height:600px"></div><script>
              const directLine = window.WebChat.createDirectLine({ domain: '{{_engine.BaseUri.ToString().TrimEnd('/')}}/v3/directline', token: '{{token}}', webSocket: false, pollingInterval: 500 });
              window.WebChat.renderWebChat({ directLine, userID: 'webchat-user', username: 'Покупатель', locale: 'ru-RU' }, document.getElementById('webchat'));
            </script></body></html>
            """;
        // The page comes from another origin than the engine, as on a customer's site, so CORS is exercised for real.
        // It is served from loopback too: Chromium does not let a public page call a loopback address.
        var site = WebApplication.CreateSlimBuilder();
        // a peer of the test, not the engine under test: its request log would only bury the test results in the output
        site.Logging.SetMinimumLevel(LogLevel.Warning);
        site.WebHost.UseUrls("http://127.0.0.1:0");
        _site = site.Build();
        _site.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
        _site.MapGet("/webchat.js", () => Results.File(bundle, "application/javascript"));
        await _site.StartAsync();
        var siteUrl = _site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var page = await _browser.NewPageAsync();
        await page.GotoAsync(siteUrl + "/");
        return page;
    }

    private static async Task SendInWebChatAsync(IPage page, string text)
    {
        var input = page.Locator("[data-id='webchat-sendbox-input']");
        await Assertions.Expect(input).ToBeEditableAsync(new() { Timeout = 20_000 });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    private string Article(string id) => _engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb.Articles.Single(a => a.Id == id).Answers[0].Text;

    /// <summary>The answer's opening words before any Markdown markup, as a browser shows them.</summary>
    private static string PlainStart(string markdown)
    {
        var cut = markdown.IndexOfAny(['*', '[', '\n', '_', '`']);
        var plain = (cut < 0 ? markdown : markdown[..cut]).Trim();
        Assert.True(plain.Length >= 8, $"The answer starts with markup: {markdown}");
        return plain.Length > 40 ? plain[..40] : plain;
    }
}
