using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Bot.Tests.Webhooks;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// The supervisor's pages in headless Chromium: statistics of the scripted traffic (an in-process engine on the fake
/// clock, reached through Playwright's request routing) with the exact figures and its CSV; history search by text
/// with a download; monitoring that shows a client's queueing as it happens and takes an operator offline.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SupervisorPagesBrowserTests : IAsyncLifetime
{
    private const string FlowOrigin = "http://engine.test";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BOTENGINE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("en")]
    public async Task The_statistics_page_shows_the_scripted_figures_and_its_csv_matches(string language)
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var traffic = await StatisticsFlowTests.ScriptTrafficAsync(engine, admin);
        var token = await engine.OperatorTokenAsync();
        await using var context = await _browser.NewContextAsync(new()
        {
            Locale = language == "ru" ? "ru-RU" : "en-GB", TimezoneId = "UTC", AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 800 },
        });
        await context.RouteAsync(FlowOrigin + "/**", route => ForwardAsync(engine, token, route));
        var page = await context.NewPageAsync();
        var from = FlowEngine.StartTime.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        var to = FlowEngine.StartTime.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        await page.GotoAsync($"{FlowOrigin}/statistics?lang={language}&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        await Assertions.Expect(page.Locator("#main")).ToHaveAttributeAsync("aria-busy", "false", new() { Timeout = 15_000 });

        var culture = CultureInfo.GetCultureInfo(language == "ru" ? "ru-RU" : "en-GB");
        string N(double value) => value.ToString("#,0.#", culture).Replace('\u00a0', ' ');
        var s = language == "ru" ? "с" : "s";
        var min = language == "ru" ? "мин" : "min";
        var expected = new Dictionary<string, string>
        {
            ["s-dialogs"] = "5", ["s-bot-only"] = "2", ["s-operators"] = "2", ["s-queued"] = "1", ["s-closed"] = "3",
            // 63.3 s is shown rounded to minutes and seconds; 15 s and 23.3 s as they are.
            ["s-avg-close"] = $"1 {min} 3 {s}", ["s-avg-first"] = $"15 {s}", ["s-avg-response"] = $"{N(70 / 3.0)} {s}",
            ["s-per-dialog"] = N(traffic.Messages / 5.0), ["s-pairs"] = "3",
        };
        foreach (var (id, text) in expected)
            await Assertions.Expect(page.Locator("#" + id)).ToHaveTextAsync(text);
        var olga = page.Locator("#operator-rows tr[data-login='olga'] td");
        await Assertions.Expect(olga).ToHaveTextAsync(["olga", "1", "2", "2", "1", $"2 {min} 0 {s}", $"30 {s}", N(19.5)]);
        await Assertions.Expect(page.Locator("#chart g.bucket[data-dialogs='5']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#topics .bar-row[data-key='Платежи']")).ToHaveCountAsync(1);

        // The operators' CSV the page links to is the API's table for the page's period and language. (Playwright cancels
        // downloads it serves itself, so the link is followed here; the history test downloads from a real socket.)
        var href = (await page.GetAttributeAsync("#csv-operators", "href"))!;
        Assert.Contains("format=csv", href, StringComparison.Ordinal);
        var downloaded = await admin.GetByteArrayAsync(href);
        var fromApi = await admin.GetByteArrayAsync($"/api/v1/statistics/operators?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&format=csv&lang={language}");
        Assert.Equal(fromApi, downloaded);
        var lines = Encoding.UTF8.GetString(downloaded[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(language == "ru" ? "Оператор,Логин,Диалоги" : "Operator,Login,Dialogs", lines[0], StringComparison.Ordinal);
        Assert.Contains("olga,olga,1,2,2,1,120,30,19.5", lines);
        await ScreenshotsAsync(page, $"statistics-{language}");
    }

    [Fact]
    public async Task A_history_search_by_text_finds_the_dialog_and_downloads_it()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Не проходит платёж по карте, помогите");
        await chat.WaitForBotAsync(_ => true);
        using var other = await DirectLineClient.StartAsync(engine.BaseUri);
        await other.SendAsync("Как заблокировать карту?");
        await other.WaitForBotAsync(_ => true);

        var page = await SignInAsync(engine, "/history?lang=ru", "ru-RU");
        await Assertions.Expect(page.Locator("#results .hit")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await page.FillAsync("#q", "платежи");
        await page.ClickAsync("#filters button[type=submit]");
        var hit = page.Locator("#results .hit");
        await Assertions.Expect(hit).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(hit.Locator(".snippet")).ToHaveTextAsync("Не проходит платёж по карте, помогите");
        await hit.ClickAsync();
        await Assertions.Expect(page.Locator("#transcript .msg.user")).ToContainTextAsync("Не проходит платёж по карте");
        await Assertions.Expect(page.Locator("#events li").First).ToContainTextAsync("начат");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-text"));
        var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Contains("] Клиент: Не проходит платёж по карте, помогите", text, StringComparison.Ordinal);
        Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
        var found = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-json"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync((await found.PathAsync())!))!.AsArray();
        Assert.Single(json);
        await ScreenshotsAsync(page, "history-ru");
        await page.SelectOptionAsync("#ui-language", "en");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Dialog history", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#results .hit")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await page.Locator("#results .hit").First.ClickAsync();
        await Assertions.Expect(page.Locator("#panel")).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "history-en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Monitoring_shows_a_client_queueing_as_it_happens_and_takes_an_operator_offline()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "olga", languages: ["en"]);
        using var olga = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        await OperatorSteps.SetStatusAsync(olga, "online");

        var page = await SignInAsync(engine, "/supervisor?lang=ru", "ru-RU");
        await Assertions.Expect(page.Locator("#c-queue")).ToHaveTextAsync("0", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#operator-rows tr[data-status='online']")).ToHaveCountAsync(1);

        // A Russian client asks for an operator; Olga serves English only, so the dialog waits in the queue. The page
        // hears of it from the event stream, well before its 15-second redraw.
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        await Assertions.Expect(page.Locator("#queue-rows tr[data-id]")).ToHaveCountAsync(1, new() { Timeout = 8_000 });
        await Assertions.Expect(page.Locator("#c-queue")).ToHaveTextAsync("1");
        // The queue names the client and the channel, not an id.
        await Assertions.Expect(page.Locator("#queue-rows tr[data-id] td.client")).ToHaveTextAsync("Test user · directline");
        await Assertions.Expect(page.Locator("#operator-rows tr[data-status='online'] td.in-status")).Not.ToHaveTextAsync("—");
        await ScreenshotsAsync(page, "supervisor-ru");

        // Moving the waiting dialog to Olga by hand (her languages do not match; a supervisor may override that).
        await page.Locator("#queue-rows tr[data-id] button.assign").ClickAsync();
        await Assertions.Expect(page.Locator("#queue-rows tr[data-id]")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#operator-rows tr[data-status='online'] a.dialog-link")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#operator-rows tr[data-status='online'] a.dialog-link")).ToContainTextAsync("Test user · ");
        var held = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned"))!;
        Assert.Equal(await IdOfAsync(admin, "olga"), Assert.Single(held)!["operatorId"]!.GetValue<string>());

        // Taking Olga offline from the page: her status changes in the engine and on the page.
        await page.Locator("#operator-rows tr[data-status='online'] button.take-offline").ClickAsync();
        await Assertions.Expect(page.Locator("#operator-rows tr[data-status='online']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var operators = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!;
        Assert.Equal("offline", operators.Single(o => o!["login"]!.GetValue<string>() == "olga")!["status"]!.GetValue<string>());

        await page.SelectOptionAsync("#ui-language", "en");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Monitoring", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#queue-rows tr[data-id]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await ScreenshotsAsync(page, "supervisor-en");
        // The page holds the engine's event stream open: close it before the engine stops.
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_pages_refuse_an_operator_without_the_permission()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "agent");
        foreach (var (path, permission) in new[] { ("/statistics", "view_stat"), ("/history", "view_dialogs_search"), ("/supervisor", "view_monitoring"), ("/admin/users", "view_users") })
        {
            var page = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
            await page.GotoAsync(new Uri(engine.BaseUri, path).ToString());
            await page.FillAsync("#login-name", "agent");
            await page.FillAsync("#login-password", "password-agent");
            await page.ClickAsync("#login button[type=submit]");
            await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync(permission, new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#main")).ToBeHiddenAsync();
            await page.CloseAsync();
        }
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("en")]
    public async Task A_user_created_from_a_position_gets_its_permissions_and_is_edited_disabled_and_given_a_new_password(string language)
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/positions/senior", new
        {
            permissions = new[] { "handle_dialogs", "view_monitoring", "view_stat" }, lines = new[] { "cards" }, languages = new[] { "ru" }, maxDialogs = 5,
        })).StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "olga");

        var page = await SignInAsync(engine, $"/admin/users?lang={language}", language == "ru" ? "ru-RU" : "en-GB");
        await Assertions.Expect(page.Locator("#user-rows tr[data-login]")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await page.FillAsync("#search", "olg");
        await Assertions.Expect(page.Locator("#user-rows tr[data-login]")).ToHaveCountAsync(1);
        await page.FillAsync("#search", "");

        await page.ClickAsync("#new-user");
        await page.FillAsync("#f-login", "petr");
        await page.FillAsync("#f-password", "password-petr");
        await page.FillAsync("#f-name", language == "ru" ? "Пётр Иванов" : "Peter Ivanov");
        await page.SelectOptionAsync("#f-position", "senior");
        await page.ClickAsync("#apply-template");
        await Assertions.Expect(page.Locator("#f-permissions input[value='view_monitoring']")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#f-permissions input[value='view_kb']")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#f-lines")).ToHaveValueAsync("cards");
        await ScreenshotsAsync(page, $"users-new-{language}");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#user-rows tr[data-login='petr']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        var petr = await OperatorAsync(admin, "petr");
        Assert.Equal(["handle_dialogs", "view_monitoring", "view_stat"], petr["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).Order());
        Assert.Equal(["cards"], petr["routing"]!["lines"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(5, petr["maxDialogs"]!.GetValue<int>());
        Assert.Equal("senior", petr["position"]!.GetValue<string>());

        // Edit: one permission more and a skill; then disable, enable, and a new password that signs in.
        await page.CheckAsync("#f-permissions input[value='view_kb']");
        await page.FillAsync("#f-skills", "vip, fraud");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-message")).ToHaveTextAsync(language == "ru" ? "Сохранено" : "Saved", new() { Timeout = 10_000 });
        petr = await OperatorAsync(admin, "petr");
        Assert.Contains("view_kb", petr["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["fraud", "vip"], petr["routing"]!["skills"]!.AsArray().Select(l => l!.GetValue<string>()).Order());
        await page.ClickAsync("#toggle-disabled");
        await Assertions.Expect(page.Locator("#user-rows tr[data-login='petr'].muted")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.True((await OperatorAsync(admin, "petr"))["disabled"]!.GetValue<bool>());
        await page.ClickAsync("#toggle-disabled");
        await Assertions.Expect(page.Locator("#user-rows tr[data-login='petr'].muted")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await page.FillAsync("#f-new-password", "another-password-1");
        await page.ClickAsync("#reset-password");
        await Assertions.Expect(page.Locator("#form-message")).Not.ToBeEmptyAsync(new() { Timeout = 10_000 });
        Assert.False(string.IsNullOrEmpty(await engine.OperatorTokenAsync("petr", "another-password-1")));
        // A refusal is shown, not lost: a capacity of 0.
        // A refusal is shown in the page's language, not the API's English, and changes nothing: a capacity of 0.
        await page.FillAsync("#f-capacity", "0");
        await page.EvaluateAsync("document.getElementById('user-form').noValidate = true");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-message")).ToHaveTextAsync(language == "ru" ? "Диалогов одновременно: от 1 до 100" : "Parallel dialogs: 1 to 100", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#form-message")).ToHaveClassAsync("error");
        Assert.Equal(5, (await OperatorAsync(admin, "petr"))["maxDialogs"]!.GetValue<int>());
        await ScreenshotsAsync(page, $"users-{language}");

        // An API key: refused without a scope (in the page's language), then made with one and shown once; it reads
        // the statistics export until it is revoked from the page.
        await page.FillAsync("#key-name", "BI");
        await page.ClickAsync("#key-create");
        await Assertions.Expect(page.Locator("#key-message")).ToHaveTextAsync(language == "ru" ? "Выберите хотя бы одно право" : "Choose at least one permission", new() { Timeout = 10_000 });
        await page.CheckAsync("#key-scopes input[value='view_stat']");
        await page.ClickAsync("#key-create");
        await Assertions.Expect(page.Locator("#key-box")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var key = await page.Locator("#key-value").TextContentAsync();
        Assert.StartsWith("bek_", key, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#key-rows tr[data-id]")).ToHaveCountAsync(1);
        using var integration = new HttpClient { BaseAddress = engine.BaseUri };
        integration.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        const string export = "/api/v1/export/statistics?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z";
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync(export)).StatusCode);
        await ScreenshotsAsync(page, $"users-keys-{language}");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#key-rows button.revoke");
        await Assertions.Expect(page.Locator("#key-rows tr.muted")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync(export)).StatusCode);
        // The page does not keep the key: after a reload it is nowhere in the page.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#key-rows tr[data-id]")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.DoesNotContain(key!, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_webhook_is_made_on_its_page_with_its_secret_shown_once_and_a_dead_delivery_is_replayed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // One attempt, so a refused delivery is dead at once.
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--Webhooks:MaxAttempts=1", "--Webhooks:PollInterval=00:00:00.200");
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var page = await SignInAsync(engine, "/admin/webhooks?lang=ru", "ru-RU");
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("Подписок: 0", new() { Timeout = 10_000 });

        // A wrong address is refused in the page's language.
        await page.ClickAsync("#new-webhook");
        await page.FillAsync("#f-url", "ftp://example.com/hook");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-message")).ToContainTextAsync("Адрес: полный http(s)-адрес", new() { Timeout = 10_000 });
        // Made with message.in besides the defaults; the engine makes the secret and shows it once.
        await page.FillAsync("#f-url", receiver.BaseUrl + "/down");
        await page.FillAsync("#f-description", "CRM");
        await page.CheckAsync("#f-events input[value='message.in']");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#secret-box")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var secret = (await page.Locator("#secret-value").TextContentAsync())!;
        Assert.Equal(64, secret.Length);
        receiver.Secrets["down"] = secret;
        var hook = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/webhooks"))!.Single()!;
        Assert.Equal(["dialog.closed", "dialog.created", "message.in"], hook["events"]!.AsArray().Select(e => e!.GetValue<string>()).Order());
        Assert.True(hook["secretSet"]!.GetValue<bool>());

        // A client writes; the receiver refuses, so the deliveries are dead and show so.
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Как заблокировать карту?");
        await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/webhooks"))!.Single()!["dead"]!.GetValue<long>() >= 2 ? true : null);
        await page.ReloadAsync();
        await page.Locator("#webhook-rows tr[data-id] a").ClickAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#f-secret")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#f-secret")).ToHaveAttributeAsync("placeholder", "сохранён; пусто — оставить прежний");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.SelectOptionAsync("#delivery-state", "dead");
        var dead = page.Locator("#delivery-rows tr[data-state='dead']");
        await Assertions.Expect(dead).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Assertions.Expect(dead.First).ToContainTextAsync("Не доставлено");
        await ScreenshotsAsync(page, "webhooks-ru");

        // Editing keeps the secret when the field is left empty; a replay of a dead one arrives signed with it.
        await page.FillAsync("#f-description", "CRM, отдел продаж");
        await page.ClickAsync("#save");
        await Assertions.Expect(page.Locator("#form-message")).ToHaveTextAsync("Сохранено", new() { Timeout = 10_000 });
        receiver.DownRecovers = true;
        await page.SelectOptionAsync("#delivery-state", "dead");
        await page.Locator("#delivery-rows tr[data-state='dead'] button.replay").First.ClickAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#replay-message")).ToHaveTextAsync("Отправлено повторно", new() { Timeout = 10_000 });
        var replayed = await Eventually.WaitAsync(async () =>
        {
            await Task.Yield();
            return receiver.Requests.FirstOrDefault(r => r.Accepted);
        });
        Assert.True(replayed.SignatureValid);

        // The English page: no Russian word of the page's own.
        await page.GotoAsync(new Uri(engine.BaseUri, $"/admin/webhooks?lang=en#{hook["id"]!.GetValue<string>()}").ToString());
        await Assertions.Expect(page.Locator("#deliveries-panel")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#delivery-rows tr[data-id]").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var english = (await page.EvaluateAsync<string>("document.body.innerText"))
            .Replace("CRM, отдел продаж", "", StringComparison.Ordinal).Replace("Русский", "", StringComparison.Ordinal); // content, and the language's own name
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("[а-яА-ЯёЁ]{3,}"), english);
        await ScreenshotsAsync(page, "webhooks-en");
        await page.Context.CloseAsync();
    }

    private static async Task<JsonObject> OperatorAsync(HttpClient admin, string login) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["login"]!.GetValue<string>() == login)!.AsObject();

    private static async Task<string> IdOfAsync(HttpClient admin, string login) => (await OperatorAsync(admin, login))["id"]!.GetValue<string>();

    private async Task<IPage> SignInAsync(EngineHost engine, string path, string locale)
    {
        var context = await _browser.NewContextAsync(new() { Locale = locale, TimezoneId = "UTC", AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(engine.BaseUri, path).ToString());
        await page.FillAsync("#login-name", "admin");
        await page.FillAsync("#login-password", EngineHost.AdminPassword);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#main")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }

    /// <summary>
    /// Serves a browser request from the in-process engine (it has no socket: ASP.NET Core's TestServer), signed in
    /// with the operator's token, so a page runs against the engine whose clock the test moves.
    /// </summary>
    private static async Task ForwardAsync(FlowEngine engine, string token, IRoute route)
    {
        var request = route.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url).PathAndQuery);
        if (request.PostDataBuffer is { } body)
            message.Content = new ByteArrayContent(body);
        foreach (var (name, value) in await request.AllHeadersAsync())
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase) && message.Content is not null)
                message.Content.Headers.TryAddWithoutValidation(name, value);
            else if (!name.StartsWith(':') && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
                message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var client = engine.Server.CreateClient();
        using var response = await client.SendAsync(message);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value));
        await route.FulfillAsync(new() { Status = (int)response.StatusCode, Headers = headers, BodyBytes = await response.Content.ReadAsByteArrayAsync() });
    }

    /// <summary>For looking at the pages by eye: with BOTENGINE_SCREENSHOTS set to a folder, the page at two window sizes.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BOTENGINE_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{width}x{height}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
