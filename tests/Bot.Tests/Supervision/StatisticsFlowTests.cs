using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Conversations;
using BotEngine.Engine.Statistics;
using BotEngine.Storage;
using BotEngine.Storage.Statistics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// Scripted traffic under the fake clock (two dialogs the bot serves alone, one of which it closes; two that operators
/// answer and close with known response times; one left waiting), then every figure of the statistics API checked
/// exactly against what the script did, on SQLite and PostgreSQL.
/// </summary>
public sealed class StatisticsFlowTests
{
    private const string Greeting = "Здравствуйте, это Ольга";
    private const string Checking = "Проверяю, минуту";
    private const string Ivan = "Добрый день, Иван на связи";

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Statistics_of_scripted_traffic_are_exact(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        var traffic = await ScriptTrafficAsync(engine, admin);
        // First computed from the messages (the dialogs closed moments ago), then from the facts stored for them a
        // minute after closing: the same figures either way.
        await AssertFiguresAsync(admin, traffic);
        engine.Advance(StatisticsFactsLoop.Settle + TimeSpan.FromSeconds(1));
        // The engine's loop may store some of them meanwhile (the clock moved); between the two, the three closed ones.
        await engine.Services.GetRequiredService<StatisticsStore>().StoreFactsAsync(0, engine.Clock.NowMicros(), 100, CancellationToken.None);
        Assert.Equal(3, await engine.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialog_facts"), CancellationToken.None));
        await AssertFiguresAsync(admin, traffic);
    }

    private static async Task AssertFiguresAsync(HttpClient admin, Traffic traffic)
    {
        var period = Period();
        var summary = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/statistics/summary" + period))!;
        Assert.Equal(5, Long(summary, "dialogs"));
        Assert.Equal(2, Long(summary, "handledByBotOnly"));
        Assert.Equal(2, Long(summary, "handledByOperators"));
        Assert.Equal(1, Long(summary, "queuedNeverAssigned"));
        Assert.Equal(3, Long(summary, "closed"));
        Assert.Equal(1, Long(summary, "closedByBot"));
        Assert.Equal(2, Long(summary, "closedByOperators"));
        Assert.Equal(0, Long(summary, "closedByTimeout"));
        // Closed after 30 s (bot), 120 s (Olga), 40 s (Ivan).
        Assert.Equal(Math.Round((30 + 120 + 40) / 3.0, 3), Double(summary, "avgCloseSeconds"));
        // Queued to the first operator message: 20 s (Olga), 10 s (Ivan).
        Assert.Equal(15.0, Double(summary, "avgFirstResponseSeconds"));
        // Client message to the operator's answer: 20 s and 40 s (Olga), 10 s (Ivan).
        Assert.Equal(3, Long(summary, "questionAnswerPairs"));
        Assert.Equal(Math.Round(70 / 3.0, 3), Double(summary, "avgResponseSeconds"));
        Assert.Equal(traffic.Messages, Long(summary, "messages"));
        Assert.Equal(traffic.ClientMessages, Long(summary, "clientMessages"));
        Assert.Equal(3, Long(summary, "operatorMessages"));
        Assert.Equal(Math.Round(traffic.Messages / 5.0, 3), Double(summary, "messagesPerDialog"));

        var operators = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/statistics/operators" + period))!;
        var olga = operators.Single(o => o!["login"]!.GetValue<string>() == "olga")!.AsObject();
        Assert.Equal(new long[] { 1, 2, 2, 1 }, new[] { "dialogs", "messages", "questionAnswerPairs", "closed" }.Select(k => Long(olga, k)));
        Assert.Equal(120.0, Double(olga, "avgCloseSeconds"));
        Assert.Equal(30.0, Double(olga, "avgResponseSeconds"));
        Assert.Equal((Greeting.Length + Checking.Length) / 2.0, Double(olga, "avgMessageLength"));
        var ivan = operators.Single(o => o!["login"]!.GetValue<string>() == "ivan")!.AsObject();
        Assert.Equal(new long[] { 1, 1, 1, 1 }, new[] { "dialogs", "messages", "questionAnswerPairs", "closed" }.Select(k => Long(ivan, k)));
        Assert.Equal(40.0, Double(ivan, "avgCloseSeconds"));
        Assert.Equal(10.0, Double(ivan, "avgResponseSeconds"));
        Assert.Equal(Ivan.Length, Double(ivan, "avgMessageLength"));
        var idle = operators.Single(o => o!["login"]!.GetValue<string>() == "admin")!.AsObject();
        Assert.Equal(0, Long(idle, "dialogs"));
        Assert.Null(idle["avgResponseSeconds"]);

        // The CSV is the same table: UTF-8 with a byte order mark, Russian column names on request, one line per operator.
        var csv = await admin.GetAsync("/api/v1/statistics/operators" + period + "&format=csv&lang=ru");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Оператор,Логин,Диалоги,Сообщения", lines[0], StringComparison.Ordinal);
        Assert.Equal(operators.Count + 1, lines.Length);
        Assert.Contains($"olga,olga,1,2,2,1,120,30,{((Greeting.Length + Checking.Length) / 2.0).ToString(CultureInfo.InvariantCulture)}", lines);
        Assert.Contains($"ivan,ivan,1,1,1,1,40,10,{Ivan.Length}", lines);

        // Dialogs by channel and topic, and per hour: all five opened in the first hour after 09:00.
        var topics = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/statistics/topics" + period))!;
        Assert.Equal(1, Long(topics.Single(t => t!["key"]!.GetValue<string>() == "Платежи")!.AsObject(), "dialogs"));
        var channels = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/statistics/channels" + period))!;
        Assert.Equal(5, Long(Assert.Single(channels)!.AsObject(), "dialogs"));
        var series = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/statistics/series" + period + "&step=1h"))!;
        Assert.Equal(new long[] { 0, 5 }, series.Select(s => Long(s!.AsObject(), "dialogs")));
        Assert.Equal(2, Long(series[1]!.AsObject(), "handledByOperators"));

        // A period before the traffic has nothing in it.
        var before = (await admin.GetFromJsonAsync<JsonObject>(
            $"/api/v1/statistics/summary?from={Iso(FlowEngine.StartTime.AddHours(-3))}&to={Iso(FlowEngine.StartTime.AddHours(-1))}"))!;
        Assert.Equal(0, Long(before, "dialogs"));
        Assert.Null(before["avgCloseSeconds"]);
    }

    [Fact]
    public async Task Bad_statistics_requests_are_400_naming_the_parameter()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        foreach (var (query, name) in new[]
                 {
                     ("/api/v1/statistics/summary?from=yesterday", "from:"),
                     ("/api/v1/statistics/summary?from=2026-11-30T10:00:00Z&to=2026-11-30T09:00:00Z", "from:"),
                     ("/api/v1/statistics/summary?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from:"),
                     ("/api/v1/statistics/operators?format=xml", "format:"),
                     ("/api/v1/statistics/operators?format=csv&lang=de", "lang:"),
                     ("/api/v1/statistics/series?step=7m", "step:"),
                     ("/api/v1/statistics/series?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z&step=15m", "step:"),
                 })
        {
            var response = await admin.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(name, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // An operator without view_stat sees no figures.
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = await engine.OperatorAsync("olga");
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.GetAsync("/api/v1/statistics/summary")).StatusCode);
    }

    /// <summary>What the clients sent and received, counted on their side, for the message totals.</summary>
    public sealed record Traffic(long Messages, long ClientMessages);

    /// <summary>
    /// The scripted day (used by the statistics page's browser test too): from 09:00 on the fake clock, five dialogs.
    /// A: the bot answers, 30 s later the client says goodbye and the bot closes. B: the bot answers, stays open.
    /// C: Olga answers after 20 s, the client asks, Olga answers after 40 s and closes 60 s later ("Платежи").
    /// D: Ivan answers after 10 s and closes 30 s later. E: queued while nobody is online.
    /// </summary>
    public static async Task<Traffic> ScriptTrafficAsync(FlowEngine engine, HttpClient admin)
    {
        var bye = await admin.PostAsync("/api/v1/kb/articles", new StringContent("""
            { "id": "stat_bye", "title": "Прощание", "access": { "languages": ["ru"] }, "questions": ["На этом всё, до свидания"],
              "answers": [ { "text": "Всего доброго!" }, { "text": "/close" } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, bye.StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        await OperatorSteps.CreateOperatorAsync(admin, "ivan");
        using var olga = await engine.OperatorAsync("olga");
        using var ivan = await engine.OperatorAsync("ivan");
        var flows = new List<TestFlow>();
        var sent = 0;
        TestFlow Client(string user)
        {
            var flow = engine.Flow(user);
            flows.Add(flow);
            return flow;
        }

        await Client("stat-a").Send("Как заблокировать карту?").ExpectReplyEventually(r => r.Text?.StartsWith("Заблокировать карту", StringComparison.Ordinal) == true)
            .AdvanceTime(TimeSpan.FromSeconds(30))
            .Send("На этом всё, до свидания").ExpectReplyEventually(r => r.Text == "Всего доброго!")
            .ExpectDialogState(DialogStates.Closed);
        sent += 2;
        await Client("stat-b").Send("Как заблокировать карту?").ExpectReplyEventually(r => r.Text?.StartsWith("Заблокировать карту", StringComparison.Ordinal) == true);
        sent += 1;

        await OperatorSteps.SetStatusAsync(olga, "online");
        await Client("stat-c").Send("Позовите оператора")
            .ExpectDialog(d => d.OperatorId != null && d.State == DialogStates.Assigned)
            .AdvanceTime(TimeSpan.FromSeconds(20))
            .Then(async c => Assert.Equal(HttpStatusCode.OK, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = Greeting })).StatusCode))
            .ExpectReplyEventually(r => r.Text == Greeting)
            // the web chat's typing indicator is stored but is no message: no figure counts it
            .Then(async c => await c.WaitForTurnAsync((await c.SendTypingAsync()).MessageId))
            .Send("Не проходит платёж по карте")
            .Then(c => c.WaitForTurnAsync(c.LastSentId!))
            .AdvanceTime(TimeSpan.FromSeconds(40))
            .Then(async c => Assert.Equal(HttpStatusCode.OK, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = Checking })).StatusCode))
            .ExpectReplyEventually(r => r.Text == Checking)
            .AdvanceTime(TimeSpan.FromSeconds(60))
            .Then(async c => Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/close", new { topic = "Платежи" })).StatusCode))
            .ExpectDialogState(DialogStates.Closed);
        sent += 2;
        await OperatorSteps.SetStatusAsync(olga, "offline");

        await OperatorSteps.SetStatusAsync(ivan, "online");
        await Client("stat-d").Send("Позовите оператора")
            .ExpectDialog(d => d.OperatorId != null && d.State == DialogStates.Assigned)
            .AdvanceTime(TimeSpan.FromSeconds(10))
            .Then(async c => Assert.Equal(HttpStatusCode.OK, (await ivan.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = Ivan })).StatusCode))
            .ExpectReplyEventually(r => r.Text == Ivan)
            .AdvanceTime(TimeSpan.FromSeconds(30))
            .Then(async c => Assert.Equal(HttpStatusCode.NoContent, (await ivan.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/close", new { topic = "Карты" })).StatusCode))
            .ExpectDialogState(DialogStates.Closed);
        sent += 1;
        await OperatorSteps.SetStatusAsync(ivan, "offline");

        await Client("stat-e").Send("Позовите оператора")
            .ExpectDialogState(DialogStates.Queued)
            .ExpectReplyEventually(r => r.Text?.Contains("очеред", StringComparison.Ordinal) == true);
        sent += 1;

        // Everything the clients were sent, read to the end of each stream.
        long received = 0;
        foreach (var flow in flows)
        {
            await flow.Client.WaitForTurnAsync(flow.Client.LastSentId!);
            await flow.Client.PollAsync();
            received += flow.Client.Received.Count;
        }
        return new Traffic(sent + received, sent);
    }

    private static string Period() =>
        $"?from={Iso(FlowEngine.StartTime.AddHours(-1))}&to={Iso(FlowEngine.StartTime.AddHours(1))}";

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static long Long(JsonObject o, string key) => o[key]!.GetValue<long>();

    private static double Double(JsonObject o, string key) => o[key]!.GetValue<double>();
}
