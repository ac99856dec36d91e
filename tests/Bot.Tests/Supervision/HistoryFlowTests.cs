using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Storage;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// History search over the scripted traffic of <see cref="StatisticsFlowTests"/>: full text in Russian and English
/// (another word form finds the message), filters, cursor paging, a dialog's panel and downloads, and a test client
/// leaving the statistics; on SQLite (FTS5) and PostgreSQL (text search).
/// </summary>
public sealed class HistoryFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task History_finds_dialogs_by_text_and_filters_and_downloads_them(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        await StatisticsFlowTests.ScriptTrafficAsync(engine, admin);
        var english = engine.Flow("stat-f");
        await english.Send("My card payment was declined").ExpectReplyEventually(_ => true);
        var period = $"from={Iso(FlowEngine.StartTime.AddHours(-1))}&to={Iso(FlowEngine.StartTime.AddHours(1))}";

        // "платежи" finds "Не проходит платёж по карте" (another form, ё written as е): Olga's dialog only.
        var found = await SearchAsync(admin, $"?{period}&q={Uri.EscapeDataString("платежи")}");
        var paying = Assert.Single(found);
        Assert.Equal("Не проходит платёж по карте", paying["snippet"]!.GetValue<string>());
        Assert.Equal("olga", paying["operatorName"]!.GetValue<string>());
        Assert.Equal("Платежи", paying["topic"]!.GetValue<string>());
        // English stemming: "payments" finds "payment".
        Assert.Equal(english.Client.DialogId, Assert.Single(await SearchAsync(admin, $"?{period}&q=payments"))["id"]!.GetValue<string>());
        // Every word must be there: no message has both.
        Assert.Empty(await SearchAsync(admin, $"?{period}&q={Uri.EscapeDataString("платёж payment")}"));

        // Filters: the six dialogs, the operator's, who closed them, the topic, the state.
        Assert.Equal(6, (await SearchAsync(admin, "?" + period)).Count);
        var ivanId = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["login"]!.GetValue<string>() == "ivan")!["id"]!.GetValue<string>();
        Assert.Equal("Карты", Assert.Single(await SearchAsync(admin, $"?{period}&operatorId={ivanId}"))["topic"]!.GetValue<string>());
        Assert.Equal(2, (await SearchAsync(admin, $"?{period}&closedBy=operator")).Count);
        Assert.Single(await SearchAsync(admin, $"?{period}&closedBy=bot"));
        Assert.Single(await SearchAsync(admin, $"?{period}&topic={Uri.EscapeDataString("Платежи")}"));
        Assert.Single(await SearchAsync(admin, $"?{period}&state=queued"));
        Assert.Empty(await SearchAsync(admin, $"?from={Iso(FlowEngine.StartTime.AddHours(-3))}&to={Iso(FlowEngine.StartTime.AddHours(-2))}"));

        // Paging by cursor: three pages of two, newest first, each dialog once.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/history?{period}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && seen.Count < 10);
        Assert.Equal(6, seen.Distinct().Count());
        Assert.Equal(6, seen.Count);

        // The dialog's panel: timings and routing events.
        var dialogId = paying["id"]!.GetValue<string>();
        var detail = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/history/{dialogId}"))!;
        Assert.Equal(20.0, detail["timings"]!["firstResponseSeconds"]!.GetValue<double>());
        Assert.Equal(120.0, detail["timings"]!["durationSeconds"]!.GetValue<double>());
        var kinds = detail["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "opened", "queued", "assigned" }, kinds.Take(3));
        Assert.Equal("closed", kinds[^1]);

        // Downloads: one dialog as text (Russian labels), the found ones as JSON.
        var text = await admin.GetAsync($"/api/v1/history/{dialogId}/export?format=text&lang=ru");
        Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".txt", text.Content.Headers.ContentDisposition!.FileNameStar ?? text.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        var transcript = Encoding.UTF8.GetString((await text.Content.ReadAsByteArrayAsync())[3..]);
        Assert.Contains("] Клиент: Не проходит платёж по карте", transcript, StringComparison.Ordinal);
        Assert.Contains("] Оператор: Проверяю, минуту", transcript, StringComparison.Ordinal);
        var json = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/history/export?{period}&format=json&q={Uri.EscapeDataString("платёж")}"))!;
        var exported = Assert.Single(json)!;
        Assert.Equal(dialogId, exported["dialog"]!["id"]!.GetValue<string>());
        Assert.Contains(exported["messages"]!.AsArray(), m => m!["text"]?.GetValue<string>() == "Проверяю, минуту");

        // A test client leaves the statistics (and stays findable, marked).
        var clientId = paying["clientId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/api/v1/history/test-clients/{clientId}", null)).StatusCode);
        Assert.True(Assert.Single(await SearchAsync(admin, $"?{period}&q={Uri.EscapeDataString("платежи")}"))["testClient"]!.GetValue<bool>());
        var summary = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/statistics/summary?{period}"))!;
        Assert.Equal(5, summary["dialogs"]!.GetValue<long>());
        Assert.Equal(1, summary["handledByOperators"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/history/test-clients/{clientId}")).StatusCode);
        Assert.Equal(6, (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/statistics/summary?{period}"))!["dialogs"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync("/api/v1/history/test-clients/nobody", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_history_requests_are_4xx_naming_the_parameter()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        foreach (var (query, name) in new[]
                 {
                     ("/api/v1/history?q=" + Uri.EscapeDataString("?!"), "q:"),
                     ("/api/v1/history?q=" + new string('a', 201), "q:"),
                     ("/api/v1/history?state=lost", "state:"),
                     ("/api/v1/history?closedBy=client", "closedBy:"),
                     ("/api/v1/history?limit=0", "limit:"),
                     ("/api/v1/history?cursor=bm9wZQ", "cursor:"),
                     ("/api/v1/history?to=soon", "to:"),
                     ("/api/v1/history/export?format=pdf", "format:"),
                 })
        {
            var response = await admin.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(name, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/history/no-such-dialog")).StatusCode);
        // An operator without view_dialogs_search reads no history.
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = await engine.OperatorAsync("olga");
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.GetAsync("/api/v1/history")).StatusCode);
    }

    private static async Task<List<JsonObject>> SearchAsync(HttpClient api, string query)
    {
        var page = (await api.GetFromJsonAsync<JsonObject>("/api/v1/history" + query))!;
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));
}
