using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Api;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Conversations;
using BotEngine.Storage;
using BotEngine.Storage.Statistics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// The supervisor's API on both storages: monitoring scoped to the supervisor's lines, time in status, moving a
/// waiting dialog to an operator by hand (recorded with who did it), operator status times in statistics, and the
/// export of dialogs and statistics rows page by page.
/// </summary>
public sealed class SupervisorApiTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_supervisor_sees_their_lines_moves_a_dialog_and_the_figures_and_exports_follow(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var import = await admin.PostAsync("/api/v1/kb/import", new StringContent("""
            { "articles": [
                { "id": "sup_cards", "title": "Карты", "questions": ["Нужен специалист по картам"], "answers": [ { "text": "Соединяю." }, { "text": "/operator cards skills=vip" } ] },
                { "id": "sup_loans", "title": "Кредиты", "questions": ["Нужен специалист по кредитам"], "answers": [ { "text": "Соединяю." }, { "text": "/operator loans skills=vip" } ] } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "olga", lines: ["cards"]);
        await OperatorSteps.CreateOperatorAsync(admin, "ivan", lines: ["loans"]);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "sveta", password = "password-sveta", displayName = "Света", permissions = new[] { "view_monitoring", "handle_dialogs" }, lines = new[] { "cards" },
        })).StatusCode);
        using var olga = await engine.OperatorAsync("olga");
        using var ivan = await engine.OperatorAsync("ivan");
        using var sveta = await engine.OperatorAsync("sveta");
        var olgaId = await IdAsync(olga);
        var ivanId = await IdAsync(ivan);

        var cards = engine.Flow("sup-cards");
        await cards.Send("Нужен специалист по картам").ExpectAnswer("Соединяю.").ExpectDialogState(DialogStates.Queued);
        var loans = engine.Flow("sup-loans");
        await loans.Send("Нужен специалист по кредитам").ExpectAnswer("Соединяю.").ExpectDialogState(DialogStates.Queued);
        var cardsId = cards.Client.DialogId!;
        var loansId = loans.Client.DialogId!;

        // Sveta watches the cards line: its queue and operators only; the administrator watches everything. Both
        // dialogs want a skill nobody has, so routing leaves them waiting for a supervisor to move them.
        await OperatorSteps.SetStatusAsync(olga, "online");
        await OperatorSteps.SetStatusAsync(ivan, "online");
        var mine = (await sveta.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!;
        Assert.Equal([cardsId], mine["waiting"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));
        Assert.Equal(1, mine["queueLength"]!.GetValue<int>());
        Assert.Equal(["olga"], mine["operators"]!.AsArray().Select(o => o!["login"]!.GetValue<string>()));
        Assert.Equal(["cards"], mine["scope"]!["lines"]!.AsArray().Select(l => l!.GetValue<string>()));
        // The queue names the client (by the profile's name once an operator gives one), the channel and the skills wanted.
        var waiting = mine["waiting"]!.AsArray().Single()!;
        Assert.Equal(["vip"], waiting["skills"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(BotEngine.Channels.DirectLine.DirectLineStore.Channel, waiting["channel"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/clients/{waiting["clientId"]!.GetValue<string>()}", new { firstName = "Анна", lastName = "Картова" })).StatusCode);
        Assert.Equal("Анна Картова", (await sveta.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!["waiting"]![0]!["clientName"]!.GetValue<string>());
        var all = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!;
        Assert.Equal(2, all["queueLength"]!.GetValue<int>());
        Assert.Null(all["scope"]);
        Assert.Contains(all["operators"]!.AsArray(), o => o!["login"]!.GetValue<string>() == "ivan");

        // Time in status runs on the clock.
        engine.Advance(TimeSpan.FromSeconds(60));
        var olgaLoad = (await sveta.GetFromJsonAsync<JsonObject>("/api/v1/monitoring"))!["operators"]!.AsArray().Single()!;
        Assert.Equal(60.0, olgaLoad["statusSeconds"]!.GetValue<double>());
        Assert.Equal("online", olgaLoad["status"]!.GetValue<string>());
        Assert.Equal(["cards"], olgaLoad["lines"]!.AsArray().Select(l => l!.GetValue<string>()));

        // Moving by hand: refusals name the problem; outside her scope is 403.
        await AssertRefusedAsync(sveta, loansId, olgaId, HttpStatusCode.Forbidden, "assign.out_of_scope");
        await AssertRefusedAsync(sveta, cardsId, ivanId, HttpStatusCode.Forbidden, "assign.out_of_scope");
        await AssertRefusedAsync(sveta, cardsId, "nobody", HttpStatusCode.NotFound, null);
        Assert.Equal(HttpStatusCode.BadRequest, (await sveta.PostAsJsonAsync($"/api/v1/dialogs/{cardsId}/assign", new { })).StatusCode);
        await OperatorSteps.SetStatusAsync(olga, "lunch");
        await AssertRefusedAsync(sveta, cardsId, olgaId, HttpStatusCode.Conflict, "assign.not_online");
        engine.Advance(TimeSpan.FromSeconds(120));
        await OperatorSteps.SetStatusAsync(olga, "online");
        Assert.Equal(HttpStatusCode.NoContent, (await sveta.PostAsJsonAsync($"/api/v1/dialogs/{cardsId}/assign", new { operatorId = olgaId })).StatusCode);
        var moved = await engine.DialogAsync(cardsId);
        Assert.Equal((DialogStates.Assigned, olgaId), (moved.State, moved.OperatorId));
        await AssertRefusedAsync(sveta, cardsId, olgaId, HttpStatusCode.Conflict, "dialog.not_queued");
        var svetaId = await IdAsync(sveta);
        var record = await engine.Database.ReadAsync(c => c.QuerySingleAsync<(string Kind, string OperatorId, string Data)>(
            "SELECT kind, operator_id, data FROM dialog_events WHERE dialog_id = @cardsId AND kind = 'moved'", new { cardsId }), CancellationToken.None);
        Assert.Equal(svetaId, record.OperatorId);
        Assert.Contains(olgaId, record.Data, StringComparison.Ordinal);
        // An operator without view_monitoring cannot move dialogs.
        Assert.Equal(HttpStatusCode.Forbidden, (await ivan.PostAsJsonAsync($"/api/v1/dialogs/{loansId}/assign", new { operatorId = ivanId })).StatusCode);

        // Olga holds the dialog 300 s, is online 600 s in all after lunch, then 90 s at lunch, then offline.
        engine.Advance(TimeSpan.FromSeconds(300));
        Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsync($"/api/v1/dialogs/{cardsId}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{cardsId}/close", new { topic = "Карты" })).StatusCode);
        engine.Advance(TimeSpan.FromSeconds(300));
        await OperatorSteps.SetStatusAsync(olga, "lunch");
        engine.Advance(TimeSpan.FromSeconds(90));
        await OperatorSteps.SetStatusAsync(olga, "offline");
        engine.Advance(TimeSpan.FromSeconds(30));
        var period = $"?from={Iso(FlowEngine.StartTime.AddHours(-1))}&to={Iso(FlowEngine.StartTime.AddHours(2))}";
        var times = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/statistics/status-times" + period))!;
        var olgaTimes = times.Single(t => t!["login"]!.GetValue<string>() == "olga")!;
        Assert.Equal(60 + 600.0, olgaTimes["online"]!.GetValue<double>());
        Assert.Equal(120 + 90.0, olgaTimes["lunch"]!.GetValue<double>());
        Assert.Equal(300.0, olgaTimes["withDialogs"]!.GetValue<double>());
        Assert.True(olgaTimes["offline"]!.GetValue<double>() >= 30);
        Assert.Equal(0.0, times.Single(t => t!["login"]!.GetValue<string>() == "ivan")!["withDialogs"]!.GetValue<double>());
        var csv = await admin.GetByteArrayAsync("/api/v1/statistics/status-times" + period + "&format=csv&lang=ru");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        var csvText = Encoding.UTF8.GetString(csv, 3, csv.Length - 3);
        Assert.Contains("Обед, с", csvText, StringComparison.Ordinal);
        Assert.Contains("olga,olga,660,0,210,0,", csvText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await sveta.GetAsync("/api/v1/statistics/status-times")).StatusCode);

        // Dialog export, one dialog a page: both dialogs with all their messages, by opening time.
        var exported = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/export/dialogs{period.Replace("from=", "since=").Replace("to=", "until=")}&limit=1"
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
            exported.AddRange(page["dialogs"]!.AsArray().Select(d => d!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && exported.Count < 10);
        Assert.Equal([cardsId, loansId], exported.Select(d => d["id"]!.GetValue<string>()));
        foreach (var d in exported)
        {
            var id = d["id"]!.GetValue<string>();
            var stored = await engine.Database.ReadAsync(c => c.QueryAsync<string>("SELECT id FROM messages WHERE dialog_id = @id ORDER BY created_at, seq, id", new { id }), CancellationToken.None);
            Assert.Equal(stored, d["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        }
        Assert.Equal("Нужен специалист по картам", exported[0]["messages"]!.AsArray().First(m => m!["author"]!.GetValue<string>() == "client")!["text"]!.GetValue<string>());
        Assert.Equal("Карты", exported[0]["topic"]!.GetValue<string>());
        // Nothing was written to either dialog after now, so nothing changed since; everything changed since before the traffic.
        var changed = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/export/dialogs?changedSince={Iso(engine.Clock.GetUtcNow())}"))!;
        Assert.Empty(changed["dialogs"]!.AsArray());
        var everything = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/export/dialogs?changedSince={Iso(FlowEngine.StartTime.AddHours(-1))}"))!;
        Assert.Equal(2, everything["dialogs"]!.AsArray().Count);

        // Statistics rows: the closed dialog (closed 7 minutes ago, so its figures are final); the open one never.
        Assert.True(engine.Clock.GetUtcNow() - TimeExtensions.FromMicros((await engine.DialogAsync(cardsId)).ClosedAt!.Value) > ExportEndpoints.FactsSettled);
        await engine.Services.GetRequiredService<StatisticsStore>().StoreFactsAsync(0, engine.Clock.NowMicros(), 100, CancellationToken.None);
        var facts = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/export/statistics" + period.Replace("from=", "since=").Replace("to=", "until=")))!;
        var row = Assert.Single(facts["dialogs"]!.AsArray())!;
        var closed = await engine.DialogAsync(cardsId);
        Assert.Equal(cardsId, row["dialogId"]!.GetValue<string>());
        Assert.Equal("operators", row["handledBy"]!.GetValue<string>());
        Assert.Equal(Math.Round((closed.ClosedAt!.Value - closed.OpenedAt) / 1e6, 3), row["closeSeconds"]!.GetValue<double>());
        Assert.Equal(1, row["clientMessages"]!.GetValue<long>());
        Assert.Equal(0, row["operatorMessages"]!.GetValue<long>());

        // Bad export requests are 400 naming the parameter; view_stat and view_dialogs_search are needed.
        foreach (var (query, name) in new[]
                 {
                     ("/api/v1/export/dialogs?since=yesterday", "since:"), ("/api/v1/export/dialogs?changedSince=soon", "changedSince:"),
                     ("/api/v1/export/dialogs?cursor=nonsense", "cursor:"), ("/api/v1/export/dialogs?limit=0", "limit:"),
                     ("/api/v1/export/statistics?until=later", "until:"), ("/api/v1/export/statistics?cursor=1", "cursor:"),
                 })
        {
            var response = await admin.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(name, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.GetAsync("/api/v1/export/dialogs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sveta.GetAsync("/api/v1/export/statistics")).StatusCode);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Changes_to_users_positions_call_centres_and_the_kb_are_in_the_audit_log_without_secrets(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = await engine.OperatorAsync("olga");
        var olgaId = await IdAsync(olga);
        // A second between changes: the log is ordered by time, and the fake clock stands still otherwise.
        engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/operators/{olgaId}", new { maxDialogs = 4 })).StatusCode);
        engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/operators/{olgaId}/password", new { newPassword = "brand-new-password-7" })).StatusCode);
        engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/positions/senior", new { permissions = new[] { "handle_dialogs" } })).StatusCode);
        engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { queueNoticeInterval = "00:02:00" })).StatusCode);
        engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/kb/articles", new StringContent(
            """{ "id": "audit_hello", "title": "Привет", "questions": ["Привет, аудит"], "answers": [ { "text": "Здравствуйте" } ] }""", Encoding.UTF8, "application/json"))).StatusCode);
        // Refused changes and reads are not changes.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/operators/{olgaId}", new { maxDialogs = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/operators")).StatusCode);

        var log = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit"))!["entries"]!.AsArray();
        var actions = log.Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["POST /api/v1/kb/articles", "PUT /api/v1/call-centres/default", "PUT /api/v1/positions/senior", $"PUT /api/v1/operators/{olgaId}/password",
             $"PUT /api/v1/operators/{olgaId}", "POST /api/v1/operators"], actions);
        Assert.All(log, e => Assert.Equal("admin", e!["actorLogin"]!.GetValue<string>()));
        Assert.Equal(["kb", "call_centres", "positions", "users", "users", "users"], log.Select(e => e!["area"]!.GetValue<string>()));
        Assert.Contains("\"maxDialogs\":4", log[4]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var text = log.ToJsonString();
        Assert.DoesNotContain("brand-new-password", text, StringComparison.Ordinal);
        Assert.DoesNotContain("password-olga", text, StringComparison.Ordinal);
        Assert.Contains("\"password\":\"***\"", log[5]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var users = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit?area=users&limit=2"))!;
        Assert.Equal(2, users["entries"]!.AsArray().Count);
        var rest = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit?area=users&cursor=" + Uri.EscapeDataString(users["nextCursor"]!.GetValue<string>())))!;
        Assert.Equal(["POST /api/v1/operators"], rest["entries"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/audit?area=everything")).StatusCode);
        // Olga signs in with the password she was given; she does not manage users, so the log is closed to her.
        using var olgaAgain = await engine.OperatorAsync("olga", "brand-new-password-7");
        Assert.Equal(HttpStatusCode.Forbidden, (await olgaAgain.GetAsync("/api/v1/audit")).StatusCode);
    }

    private static async Task AssertRefusedAsync(HttpClient supervisor, string dialogId, string operatorId, HttpStatusCode status, string? code)
    {
        var response = await supervisor.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/assign", new { operatorId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{dialogId} to {operatorId}: {(int)response.StatusCode} {body}");
        if (code is not null)
            Assert.Contains(code, body, StringComparison.Ordinal);
    }

    private static async Task<string> IdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
