using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using BotEngine.Bot.Tests.Clients;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The embeddable widget on a page of another origin, in headless Chromium: launcher, pre-chat form with its checks,
/// the values on the operator's client card, a signed sign-in from the site's script (and a tampered one refused),
/// and the client's rating after the operator closes the dialog.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetBrowserTests : IAsyncLifetime
{
    private const string Secret = "widget-browser-test-secret";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private EngineHost _engine = null!;
    private WebApplication? _site;

    public async Task InitializeAsync()
    {
        _engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--Widget:IdentitySecret=" + Secret);
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
    public async Task A_visitor_fills_the_pre_chat_form_signs_in_through_the_site_and_rates_the_closed_dialog()
    {
        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var settings = await admin.PutAsJsonAsync("/api/v1/widget/settings", new
        {
            titleRu = "Банк «Восток»", titleEn = "Vostok Bank", color = "#aa3300", consentRequired = true,
            preChatFields = new object[] { new { name = "firstName", required = true, cyrillicOnly = true }, new { name = "phone", required = true }, new { name = "email" } },
        });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/widget/settings", new { color = "red" })).StatusCode);

        var page = await OpenSiteAsync();
        await page.ClickAsync("#botengine-launcher");
        var frame = page.FrameLocator("#botengine-frame");
        await Assertions.Expect(frame.Locator("#widget-title")).ToHaveTextAsync("Банк «Восток»", new() { Timeout = 20_000 });
        await Assertions.Expect(frame.Locator("#chat")).ToBeHiddenAsync();

        // Nothing filled: the required fields and the consent are named, in Russian.
        await frame.Locator("#prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(frame.Locator("#prechat-firstName-error")).ToHaveTextAsync("Обязательное поле");
        await ShootAsync(page, "widget-prechat");
        await Assertions.Expect(frame.Locator("#prechat-phone-error")).ToHaveTextAsync("Обязательное поле");
        await Assertions.Expect(frame.Locator("#consent-error")).ToHaveTextAsync("Нужно ваше согласие");
        await frame.Locator("#prechat-firstName").FillAsync("Anna");
        await frame.Locator("#prechat-phone").PressSequentiallyAsync("89161234567");
        await Assertions.Expect(frame.Locator("#prechat-phone")).ToHaveValueAsync("+7 (916) 123-45-67");
        await frame.Locator("#consent").CheckAsync();
        await frame.Locator("#prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(frame.Locator("#prechat-firstName-error")).ToHaveTextAsync("Только русские буквы");
        await frame.Locator("#prechat-firstName").FillAsync("Анна");
        await frame.Locator("#prechat button[type=submit]").ClickAsync();
        await Assertions.Expect(frame.Locator("#chat")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        var clientId = await Eventually.WaitAsync(async () =>
        {
            var found = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/clients?q=" + Uri.EscapeDataString("анна")))!["clients"]!.AsArray();
            return found.Count == 1 ? found[0]!["id"]!.GetValue<string>() : null;
        });
        var profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!;
        Assert.Equal("+79161234567", profile["phone"]!.GetValue<string>());
        Assert.Empty(profile["verified"]!.AsArray());

        // The site signs its customer's e-mail and contract; a tampered signature is refused with the page's own words.
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var good = SiteSignature.Hmac(Secret, ts, ("email", "anna@vostok.example"), ("contract", "Д-7"));
        var verified = await page.EvaluateAsync<string[]>(
            $"BotEngine.authenticate({{ email: 'anna@vostok.example', contract: 'Д-7', timestamp: {ts}, signature: '{good}' }}).then(r => r.verified)");
        Assert.Equal(["contract", "email"], verified);
        var refusal = await page.EvaluateAsync<string>(
            $"BotEngine.authenticate({{ email: 'anna@vostok.example', contract: 'Д-8', timestamp: {ts}, signature: '{good}' }}).then(() => 'accepted', e => e.message)");
        Assert.Equal("Не удалось подтвердить данные сайта", refusal);
        profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!;
        Assert.Equal("Д-7", profile["contract"]!.GetValue<string>());

        // The operator's workplace shows the profile on the client tab, with the site's "verified" marks.
        await frame.Locator("#text").FillAsync("Позовите оператора");
        await frame.Locator("#text").PressAsync("Enter");
        var desk = await _browser.NewPageAsync(new() { Locale = "ru-RU", ViewportSize = new() { Width = 1280, Height = 800 } });
        await desk.GotoAsync(new Uri(_engine.BaseUri, "/operator").ToString());
        await desk.FillAsync("#login-name", "admin");
        await desk.FillAsync("#login-password", EngineHost.AdminPassword);
        await desk.ClickAsync("#login button[type=submit]");
        await desk.SelectOptionAsync("#status", "online");
        var offered = desk.Locator("#group-offered .dialog-item").First;
        await Assertions.Expect(offered).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var dialogId = (await offered.GetAttributeAsync("data-dialog-id"))!;
        await offered.ClickAsync();
        await desk.ClickAsync(".kb-panel .tab[data-tab='client']");
        var profileCard = desk.Locator("#profile-card");
        await Assertions.Expect(profileCard).ToContainTextAsync("Анна", new() { Timeout = 20_000 });
        await Assertions.Expect(profileCard).ToContainTextAsync("+79161234567");
        await Assertions.Expect(profileCard.Locator("dd", new() { HasText = "anna@vostok.example" })).ToContainTextAsync("подтверждено");
        await Assertions.Expect(profileCard.Locator("dd", new() { HasText = "+79161234567" }).Locator(".verified")).ToHaveCountAsync(0);
        // The operator corrects the last name from the card; a bad e-mail is refused in the page's words.
        await desk.ClickAsync("#profile-edit");
        await desk.FillAsync("#profile-form input[name=lastName]", "Петрова");
        await desk.FillAsync("#profile-form input[name=email]", "not-an-email");
        await desk.ClickAsync("#profile-form button[type=submit]");
        await Assertions.Expect(desk.Locator("#profile-form .error")).ToHaveTextAsync("Это не адрес эл. почты", new() { Timeout = 10_000 });
        await desk.FillAsync("#profile-form input[name=email]", "anna@vostok.example");
        await desk.ClickAsync("#profile-form button[type=submit]");
        await Assertions.Expect(profileCard).ToContainTextAsync("Петрова", new() { Timeout = 10_000 });
        await ShootAsync(desk, "operator-client-profile");
        // One channel: no choice of where the reply goes.
        await Assertions.Expect(desk.Locator("#reply-channel")).ToBeHiddenAsync();

        // The operator answers and closes the dialog; the widget asks for a rating, which reaches the client card.
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Анна, здравствуйте!" })).IsSuccessStatusCode);
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Карты", clientDissatisfied = false })).IsSuccessStatusCode);
        await Assertions.Expect(frame.Locator("#rating")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await frame.Locator("#rating button[type=submit]").ClickAsync();
        await Assertions.Expect(frame.Locator("#rating-error")).ToHaveTextAsync("Выберите оценку от 1 до 5");
        await frame.GetByRole(AriaRole.Radio, new() { Name = "4 из 5" }).ClickAsync();
        await frame.Locator("#rating-comment").FillAsync("Спасибо, всё понятно");
        await ShootAsync(page, "widget-rating");
        await frame.Locator("#rating button[type=submit]").ClickAsync();
        await Assertions.Expect(frame.Locator("#rated")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var rated = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["dialogs"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == dialogId)!;
        Assert.Equal(4, rated["rating"]!.GetValue<int>());
        Assert.Equal("Спасибо, всё понятно", rated["ratingComment"]!.GetValue<string>());

        // Minimising keeps the launcher; the frame is hidden.
        await frame.Locator("#widget-close").ClickAsync();
        await Assertions.Expect(page.Locator("#botengine-frame")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#botengine-launcher")).ToBeVisibleAsync();
    }

    /// <summary>Screenshots at both sizes for a person to look at (BOTENGINE_SCREENSHOTS, else the temp folder).</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("BOTENGINE_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "botengine-screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1920, 1080), (1280, 800) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-ru-{width}x{height}.png") });
        }
    }

    private async Task<IPage> OpenSiteAsync()
    {
        var engine = _engine.BaseUri.ToString().TrimEnd('/');
        var html = $$"""
            <!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Банк «Восток»</title></head>
            <body><h1>Сайт банка</h1><script src="{{engine}}/static/widget.js" data-lang="ru"></script></body></html>
            """;
        // Another origin than the engine, as a customer's site is (loopback, as Chromium lets a page call loopback only from there).
        var site = WebApplication.CreateSlimBuilder();
        // a peer of the test, not the engine under test: its request log would only bury the test results in the output
        site.Logging.SetMinimumLevel(LogLevel.Warning);
        site.WebHost.UseUrls("http://127.0.0.1:0");
        _site = site.Build();
        _site.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
        await _site.StartAsync();
        var siteUrl = _site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var page = await _browser.NewPageAsync(new() { Locale = "ru-RU", ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(siteUrl + "/");
        return page;
    }

}
