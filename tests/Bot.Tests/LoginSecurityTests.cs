using BotEngine.Engine.Desk;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Issue 11, finding 6 (login and sessions): throttling with Retry-After, the unknown-login path costing what a known
/// one costs, logout and revocation by token version, password change and reset, disabling, the HttpOnly cookie.
/// Throttle waits are driven by a manual clock given to the throttle, not by sleeping.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class LoginSecurityTests
{
    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_login_even_against_the_right_password_with_a_doubling_wait()
    {
        var clock = new ManualClock();
        await using var engine = await StartAsync(clock, "--Auth:Throttle:LoginFailures=5", "--Auth:Throttle:AddressFailures=1000", "--Auth:Throttle:FirstDelay=00:00:02");
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "ivan");

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(engine, "ivan", "wrong-" + i)).StatusCode);
        // Locked: even the right password is refused, with the wait in Retry-After and in the message.
        var locked = await SignInAsync(engine, "ivan", "password-ivan");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), locked.Headers.RetryAfter!.Delta);
        Assert.Contains("try again in 2 s", await DetailAsync(locked));

        // After the wait one more failure doubles the lock.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(engine, "ivan", "wrong-again")).StatusCode);
        var doubled = await SignInAsync(engine, "ivan", "password-ivan");
        Assert.Equal(HttpStatusCode.TooManyRequests, doubled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), doubled.Headers.RetryAfter!.Delta);

        // Other logins are not affected; after the wait the right password gets in and the count starts afresh.
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "admin", EngineHost.AdminPassword)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "ivan", "password-ivan")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(engine, "ivan", "wrong-after-success")).StatusCode);
    }

    [Fact]
    public async Task Failures_from_one_address_across_many_logins_throttle_that_address()
    {
        var clock = new ManualClock();
        await using var engine = await StartAsync(clock, "--Auth:Throttle:LoginFailures=1000", "--Auth:Throttle:AddressFailures=6", "--Auth:Throttle:FirstDelay=00:00:05");

        // A password spray: one guess per login, unknown logins among them.
        for (var i = 0; i < 6; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(engine, "user" + i, "Winter2026!")).StatusCode);
        var refused = await SignInAsync(engine, "admin", EngineHost.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter!.Delta);
        Assert.Contains("from your address", await DetailAsync(refused));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "admin", EngineHost.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_login_is_answered_as_slowly_as_a_wrong_password_for_a_known_one()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--Auth:Throttle:LoginFailures=1000", "--Auth:Throttle:AddressFailures=1000");
        var hashing = engine.Services.GetRequiredService<PasswordHashing>();
        await SignInAsync(engine, "admin", "warm-up-wrong");
        await SignInAsync(engine, "nobody-warm-up", "warm-up-wrong");

        var known = new List<double>();
        var unknown = new List<double>();
        var dummyBefore = hashing.DummyVerifications;
        for (var i = 0; i < 7; i++)
        {
            known.Add(await TimeAsync(() => SignInAsync(engine, "admin", "wrong-password-" + i)));
            unknown.Add(await TimeAsync(() => SignInAsync(engine, "nobody-" + i, "wrong-password-" + i)));
        }
        // The unknown path verifies against a dummy hash: every unknown login cost one password hash.
        Assert.Equal(7, hashing.DummyVerifications - dummyBefore);
        // Before the fix: 1.8 ms against 92 ms. A generous bound, so a busy machine does not make it flaky.
        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        Assert.True(unknownMedian >= knownMedian * 0.3, $"unknown login median {unknownMedian:F1} ms, known login median {knownMedian:F1} ms");
    }

    [Fact]
    public async Task Logout_ends_the_session_and_clears_the_cookie()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        var token = await engine.OperatorTokenAsync();
        using var api = engine.OperatorClient(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/operators/me")).StatusCode);

        var logout = await api.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("botengine_token=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);

        var after = await api.GetAsync("/api/v1/operators/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("session has ended", await DetailAsync(after));
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.PostAsync("/api/v1/auth/logout", null)).StatusCode);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Changing_a_password_needs_change_password_and_ends_the_other_sessions(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var noRight = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "ivan", password = "password-ivan", permissions = new[] { "view_kb" } });
        Assert.Equal(HttpStatusCode.Created, noRight.StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "olga"); // default permissions include change_password

        using var ivan = engine.OperatorClient(await engine.OperatorTokenAsync("ivan", "password-ivan"));
        Assert.Equal(HttpStatusCode.Forbidden,
            (await ivan.PostAsJsonAsync("/api/v1/operators/me/password", new { currentPassword = "password-ivan", newPassword = "ivan-new-password" })).StatusCode);

        using var olgaDesk = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        using var olgaPhone = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        var wrongCurrent = await olgaDesk.PostAsJsonAsync("/api/v1/operators/me/password", new { currentPassword = "not-my-password", newPassword = "olga-new-password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.StartsWith("currentPassword", await DetailAsync(wrongCurrent), StringComparison.Ordinal);
        var tooShort = await olgaDesk.PostAsJsonAsync("/api/v1/operators/me/password", new { currentPassword = "password-olga", newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.StartsWith("newPassword", await DetailAsync(tooShort), StringComparison.Ordinal);

        var changed = await olgaDesk.PostAsJsonAsync("/api/v1/operators/me/password", new { currentPassword = "password-olga", newPassword = "olga-new-password" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var newToken = (await changed.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        // Both earlier sessions end; the new token carries on; only the new password signs in.
        Assert.Equal(HttpStatusCode.Unauthorized, (await olgaDesk.GetAsync("/api/v1/operators/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await olgaPhone.GetAsync("/api/v1/operators/me")).StatusCode);
        using var olgaNew = engine.OperatorClient(newToken);
        var me = (await olgaNew.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(engine, "olga", "password-olga")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "olga", "olga-new-password")).StatusCode);

        // An administrator (modify_users) sets Olga's password: her sessions end too. Olga cannot do it to others.
        var olgaId = me["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await olgaNew.PutAsJsonAsync($"/api/v1/operators/{olgaId}/password", new { newPassword = "whatever-123" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/operators/{olgaId}/password", new { newPassword = "reset-by-admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await olgaNew.GetAsync("/api/v1/operators/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "olga", "reset-by-admin")).StatusCode);
        var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/operators/{adminId}/password", new { newPassword = "no-current-needed" })).StatusCode);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_disabled_operator_is_refused_at_once_goes_offline_and_loses_their_dialogs(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "password-olga"));
        var olgaId = (await olga.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        await OperatorSteps.SetStatusAsync(olga, "online");
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        var dialogId = await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned,active&operatorId={olgaId}"))!.FirstOrDefault()?["id"]?.GetValue<string>());

        var disabled = await admin.PostAsync($"/api/v1/operators/{olgaId}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonObject>())!["disabled"]!.GetValue<bool>());

        // Her token stops working at once, she is offline, her dialog is back in the queue, she cannot sign in.
        var refused = await olga.GetAsync("/api/v1/operators/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["id"]!.GetValue<string>() == olgaId)!;
        Assert.Equal("offline", listed["status"]!.GetValue<string>());
        Assert.True(listed["disabled"]!.GetValue<bool>());
        Assert.Equal("queued", (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>());
        var signIn = await SignInAsync(engine, "olga", "password-olga");
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("disabled", await DetailAsync(signIn));

        // The last enabled operator who can manage operators cannot be disabled (nor lose modify_users).
        var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        var lastAdmin = await admin.PostAsync($"/api/v1/operators/{adminId}/disable", null);
        Assert.Equal(HttpStatusCode.Conflict, lastAdmin.StatusCode);
        Assert.Contains("last enabled operator", await DetailAsync(lastAdmin));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/v1/operators/{adminId}", new { permissions = new[] { "view_kb" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/operators/me")).StatusCode);

        // Enabled again, she signs in with a new session.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/operators/{olgaId}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await olga.GetAsync("/api/v1/operators/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(engine, "olga", "password-olga")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_sets_an_http_only_same_site_cookie_that_authenticates()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        var response = await SignInAsync(engine, "admin", EngineHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith("botengine_token=", parts[0], StringComparison.Ordinal);
        Assert.Contains("httponly", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", parts, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", parts, StringComparer.OrdinalIgnoreCase); // plain http here; https gets Secure

        using var browser = new HttpClient { BaseAddress = engine.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/operators/me");
        request.Headers.Add("Cookie", parts[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request)).StatusCode);
    }

    private static Task<EngineHost> StartAsync(ManualClock clock, params string[] args) =>
        EngineHost.StartAsync(StorageKind.Sqlite, builder => builder.Services.AddSingleton(sp =>
            new LoginThrottle(clock, sp.GetRequiredService<IOptions<LoginThrottleOptions>>())), args);

    private static Task<HttpResponseMessage> SignInAsync(EngineHost engine, string login, string password) =>
        engine.Http.PostAsJsonAsync("/api/v1/auth/token", new { login, password });

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await call();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
