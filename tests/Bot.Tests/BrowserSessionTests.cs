using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>The operator page's session (issue 11, finding 6): an HttpOnly cookie set by the server, sign-out, password change.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_operator_page_keeps_its_session_in_an_http_only_cookie_changes_the_password_and_signs_out()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(api, "nina");
        var page = await SignInAsync("nina", "password-nina");
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        // Scripts cannot read the session; a reload is still signed in by the cookie.
        Assert.DoesNotContain("botengine_token", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
        // The page holds no token of its own either, yet its calls are signed in: the browser sends the HttpOnly cookie.
        var probe = await page.EvaluateAsync<string>("fetch('/api/v1/operators/me').then(async r => r.status === 200 ? '200' : r.status + ' ' + await r.text() + ' cookie=' + document.cookie)");
        Assert.True(probe == "200", probe);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // The password form, in Russian: a wrong current password is named, the right one changes it.
        await page.ClickAsync("#change-password");
        await page.FillAsync("#current-password", "not-the-password");
        await page.FillAsync("#new-password", "nina-new-password");
        await page.ClickAsync("#password-form button[type=submit]");
        await Assertions.Expect(page.Locator("#password-error")).ToHaveTextAsync("Неверный текущий пароль", new() { Timeout = 10_000 });
        await page.FillAsync("#current-password", "password-nina");
        await page.FillAsync("#new-password", "nina-new-password");
        await page.ClickAsync("#password-form button[type=submit]");
        await Assertions.Expect(page.Locator("#password-done")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.ClickAsync("#password-cancel");
        await Assertions.Expect(page.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // Signing out ends the session; a reload shows the sign-in form again.
        await page.ClickAsync("#signout");
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#workplace")).ToBeHiddenAsync();

        // The new password signs in from the page; the old one is refused with the page's own message.
        await page.FillAsync("#login-name", "nina");
        await page.FillAsync("#login-password", "password-nina");
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("Неверный логин или пароль", new() { Timeout = 10_000 });
        await page.FillAsync("#login-password", "nina-new-password");
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#workplace")).ToBeVisibleAsync(new() { Timeout = 10_000 });
    }
}
