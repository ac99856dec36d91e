using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;

namespace BotEngine.Bot.Tests.Clients;

/// <summary>Client profiles through the API and the widget's endpoints, on the in-process engine, on both storages.</summary>
public sealed class ClientProfileFlowTests
{
    private const string Secret = "site-secret-for-tests";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task An_operator_edits_a_profile_finds_it_by_name_or_phone_and_sees_every_change(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var client = engine.Client("user-anna");
        await client.SendAsync("Здравствуйте");
        var clientId = (await client.DialogAsync()).ClientId;

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/client-fields",
            new[] { new { name = "tier", type = "text", titleRu = "Уровень", titleEn = "Tier" }, new { name = "birthday", type = "date", titleRu = "День рождения", titleEn = "Birthday" } })).StatusCode);
        var saved = await admin.PutAsJsonAsync($"/api/v1/clients/{clientId}",
            new { firstName = "Анна", lastName = "Петрова", phone = "8 (916) 123-45-67", email = "Anna@Example.com", fields = new { tier = "gold", birthday = "1990-04-01" }, tags = new[] { "vip" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var profile = (await saved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("+79161234567", profile["phone"]!.GetValue<string>());
        Assert.Equal("anna@example.com", profile["email"]!.GetValue<string>());

        // Found by a Cyrillic name in another case, and by the phone typed another way.
        foreach (var q in new[] { "АННА", "+7 916 123-45-67", "example.com" })
        {
            var page = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients?q={Uri.EscapeDataString(q)}"))!;
            Assert.Contains(page["clients"]!.AsArray(), c => c!["id"]!.GetValue<string>() == clientId);
        }
        var none = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/clients?q=" + Uri.EscapeDataString("Ольга")))!;
        Assert.Empty(none["clients"]!.AsArray());

        // The card has the channel account and the dialog; the history has the edit with the profile before and after.
        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
        Assert.Equal("user-anna", card["accounts"]![0]!["accountId"]!.GetValue<string>());
        Assert.Equal(client.DialogId, card["dialogs"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("gold", card["profile"]!["fields"]!["tier"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/clients/{clientId}", new { phone = "" })).StatusCode);
        var changes = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/clients/{clientId}/changes"))!;
        Assert.Equal(2, changes.Count);
        Assert.Equal("+79161234567", changes[0]!["before"]!["phone"]!.GetValue<string>());
        Assert.Null(changes[0]!["after"]!["phone"]);

        // Bad input: a 400 naming the field, and nothing changes.
        foreach (var (body, field) in new (object, string)[]
        {
            (new { email = "not-an-email" }, "email"), (new { phone = "12" }, "phone"),
            (new { fields = new { colour = "red" } }, "fields.colour"), (new { fields = new { birthday = "01.04.1990" } }, "fields.birthday"),
            (new { firstName = new string('я', 101) }, "firstName"),
        })
        {
            var refused = await admin.PutAsJsonAsync($"/api/v1/clients/{clientId}", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith(field + ":", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/clients/{clientId}/changes"))!.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/clients/nobody")).StatusCode);

        // The test flag is the one statistics and history read: set here, it is what the history's mark says, and back.
        Assert.True((await (await admin.PutAsJsonAsync($"/api/v1/clients/{clientId}", new { isTest = true })).Content.ReadFromJsonAsync<JsonObject>())!["isTest"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/history/test-clients/{clientId}")).StatusCode);
        Assert.False((await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!["isTest"]!.GetValue<bool>());

        // An operator with the default permissions reads profiles but cannot edit them.
        await OperatorSteps.CreateOperatorAsync(admin, "ivan");
        using var ivan = await engine.OperatorAsync("ivan");
        Assert.Equal(HttpStatusCode.OK, (await ivan.GetAsync($"/api/v1/clients/{clientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ivan.PutAsJsonAsync($"/api/v1/clients/{clientId}", new { firstName = "X" })).StatusCode);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Widget_pre_chat_values_are_stored_unverified_and_a_signed_sign_in_verified_while_a_tampered_one_stores_nothing(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage, "--Widget:IdentitySecret=" + Secret);
        using var admin = await engine.OperatorAsync();
        var visitor = await WidgetVisitor.StartAsync(engine.Http);

        var prechat = await visitor.IdentifyAsync(new { firstName = "Анна", phone = "+7 916 000-00-01" });
        Assert.Equal(HttpStatusCode.OK, prechat.StatusCode);
        var clientId = await visitor.ClientIdAsync(admin);
        var profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!;
        Assert.Equal("+79160000001", profile["phone"]!.GetValue<string>());
        Assert.Empty(profile["verified"]!.AsArray());

        var ts = engine.Clock.GetUtcNow().ToUnixTimeSeconds();
        var tampered = await visitor.IdentifyAsync(new { firstName = "Анна", email = "anna@bank.example", contract = "Д-42", timestamp = ts, signature = Sign(ts, ("firstName", "Анна"), ("email", "anna@bank.example"), ("contract", "Д-41")) });
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.StartsWith("signature:", (await tampered.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!;
        Assert.Null(profile["email"]);
        Assert.Null(profile["contract"]);

        var signedIn = await visitor.IdentifyAsync(new { firstName = "Анна", email = "anna@bank.example", contract = "Д-42", timestamp = ts, signature = Sign(ts, ("firstName", "Анна"), ("email", "anna@bank.example"), ("contract", "Д-42")) });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["profile"]!;
        Assert.Equal(["contract", "email", "firstName"], profile["verified"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Д-42", profile["contract"]!.GetValue<string>());

        // The visitor's own (unsigned) words cannot replace what the site vouched for; a stale signature is refused.
        var overwrite = await visitor.IdentifyAsync(new { email = "someone@else.example" });
        Assert.Equal(HttpStatusCode.Conflict, overwrite.StatusCode);
        engine.Advance(TimeSpan.FromHours(25));
        var stale = await visitor.IdentifyAsync(new { firstName = "Анна", timestamp = ts, signature = Sign(ts, ("firstName", "Анна")) });
        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);

        // Another conversation signing in with the same verified e-mail becomes the same client. (The clock moved past
        // the operator's session, so the operator signs in again.)
        using var supervisor = await engine.OperatorAsync();
        var second = await WidgetVisitor.StartAsync(engine.Http);
        var ts2 = engine.Clock.GetUtcNow().ToUnixTimeSeconds();
        var joined = await second.IdentifyAsync(new { email = "anna@bank.example", timestamp = ts2, signature = Sign(ts2, ("email", "anna@bank.example")) });
        Assert.True((await joined.Content.ReadFromJsonAsync<JsonObject>())!["joinedKnownClient"]!.GetValue<bool>());
        Assert.Equal(clientId, await second.ClientIdAsync(supervisor));
        Assert.Equal(2, (await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!["accounts"]!.AsArray().Count);

        // A token cannot speak for another conversation.
        using var foreign = new HttpRequestMessage(HttpMethod.Post, $"/widget/v1/conversations/{second.ConversationId}/identity") { Content = JsonContent.Create(new { firstName = "X" }) };
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", visitor.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await engine.Http.SendAsync(foreign)).StatusCode);
    }

    [Fact]
    public async Task The_md5_scheme_accepts_a_site_signing_values_then_secret()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--Widget:IdentitySecret=" + Secret, "--Widget:IdentityScheme=md5");
        using var admin = await engine.OperatorAsync();
        var visitor = await WidgetVisitor.StartAsync(engine.Http);
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("Иванivan@example.com" + Secret)));
        var response = await visitor.IdentifyAsync(new { firstName = "Иван", email = "ivan@example.com", signature = md5 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{await visitor.ClientIdAsync(admin)}"))!["profile"]!;
        Assert.Equal(["email", "firstName"], profile["verified"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Two_profiles_merge_with_nothing_lost_and_the_client_rates_the_closed_dialog(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var adminId = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        await OperatorSteps.SetStatusAsync(admin, "online");

        // The first client talks to an operator, who closes the dialog; the client rates it.
        var first = engine.Client("user-first");
        await first.SendAsync("Позовите оператора");
        await engine.WaitAsync(async () => (await first.DialogAsync()).OperatorId == adminId, "the dialog reaches the operator");
        Assert.True((await admin.PostAsJsonAsync($"/api/v1/dialogs/{first.DialogId}/messages", new { text = "Здравствуйте!" })).IsSuccessStatusCode);
        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{first.DialogId}/close", new { topic = "Карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        var firstId = (await first.DialogAsync()).ClientId;

        var second = engine.Client("user-second");
        await second.SendAsync("Здравствуйте");
        var secondId = (await second.DialogAsync()).ClientId;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/clients/{firstId}", new { firstName = "Анна", phone = "+79160000001", tags = new[] { "a" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/clients/{secondId}", new { firstName = "Аня", email = "anna@example.com", tags = new[] { "b" } })).StatusCode);

        // The first names differ: the merge asks which to keep, then keeps both sides' other values.
        var conflict = await admin.PostAsJsonAsync($"/api/v1/clients/{firstId}/merge", new { sourceId = secondId });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("firstName", (await conflict.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var exportFrom = engine.Clock.GetUtcNow();
        engine.Advance(TimeSpan.FromSeconds(1));
        var merged = await admin.PostAsJsonAsync($"/api/v1/clients/{firstId}/merge", new { sourceId = secondId, choices = new { firstName = "source" } });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);

        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{firstId}"))!;
        var profile = card["profile"]!;
        Assert.Equal("Аня", profile["firstName"]!.GetValue<string>());
        Assert.Equal("+79160000001", profile["phone"]!.GetValue<string>());
        Assert.Equal("anna@example.com", profile["email"]!.GetValue<string>());
        Assert.Equal(["a", "b"], profile["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["user-first", "user-second"], card["accounts"]!.AsArray().Select(a => a!["accountId"]!.GetValue<string>()).Order());
        Assert.Equal(new[] { first.DialogId, second.DialogId }.Order(), card["dialogs"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).Order());
        // The merged-away profile says where it went, its record keeps it as it was, and it cannot be edited any more.
        var gone = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{secondId}"))!["profile"]!;
        Assert.Equal(firstId, gone["mergedInto"]!.GetValue<string>());
        var record = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/clients/{firstId}/changes"))![0]!;
        Assert.Equal("merge", record["kind"]!.GetValue<string>());
        Assert.Equal("Аня", record["before"]!["source"]!["firstName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/v1/clients/{secondId}", new { lastName = "X" })).StatusCode);
        // The second client's next message still reaches its dialog, now under the merged profile.
        await second.SendAsync("Ещё вопрос");
        Assert.Equal(firstId, (await second.DialogAsync()).ClientId);

        // The export shows both profiles as changed since before the merge.
        var export = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/export/clients?changedSince={Uri.EscapeDataString(exportFrom.ToString("O"))}"))!;
        Assert.Equal(new[] { firstId, secondId }.Order(), export["clients"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order());

        // Rating: 1-5 only, and only once the conversation has a closed dialog.
        var rater = new WidgetRater(engine.Http, engine);
        Assert.Equal(HttpStatusCode.BadRequest, (await rater.RateAsync(first.ConversationId, 6)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rater.RateAsync(first.ConversationId, 4, "Быстро помогли")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await rater.RateAsync(second.ConversationId, 5)).StatusCode);
        var dialog = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{firstId}"))!["dialogs"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == first.DialogId)!;
        Assert.Equal(4, dialog["rating"]!.GetValue<int>());
        Assert.Equal("Быстро помогли", dialog["ratingComment"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_web_chat_deep_link_attaches_the_visitor_once(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var known = engine.Client("user-known");
        await known.SendAsync("Здравствуйте");
        var clientId = (await known.DialogAsync()).ClientId;

        var made = await admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/deep-links", new { channel = "directline" });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var link = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = link["token"]!.GetValue<string>();
        Assert.Equal("/widget?link=" + token, link["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/deep-links", new { channel = "no-such-channel" })).StatusCode);

        var visitor = await WidgetVisitor.StartAsync(engine.Http);
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync("link", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync("link", new { token })).StatusCode);
        Assert.Equal(clientId, await visitor.ClientIdAsync(admin));
        var other = await WidgetVisitor.StartAsync(engine.Http);
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsync("link", new { token })).StatusCode);
        // A forged token (right shape, wrong MAC) is unknown; an expired one says so.
        var forged = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("link", new { token = forged })).StatusCode);
        var late = (await (await admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/deep-links", new { channel = "directline" })).Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        engine.Advance(TimeSpan.FromDays(8));
        var latecomer = await WidgetVisitor.StartAsync(engine.Http);
        Assert.Equal(HttpStatusCode.Gone, (await latecomer.PostAsync("link", new { token = late })).StatusCode);
    }

    private static string Sign(long timestamp, params (string Name, string Value)[] fields) => SiteSignature.Hmac(Secret, timestamp, fields);
}
