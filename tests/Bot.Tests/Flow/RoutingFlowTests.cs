using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Desk;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// Where a handed-off dialog goes and what the clock does to it (response timeout, hold message, queue notices, overflow),
/// on the in-process engine: timers fire when the test moves the fake clock, not after real seconds.
/// </summary>
public sealed class RoutingFlowTests
{
    [Fact]
    public async Task Operator_response_timeout_moves_the_dialog_to_another_operator()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var settings = await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { timers = new { operatorResponseTimeout = "00:02:00" } });
        Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "slow");
        using var slow = await engine.OperatorAsync("slow");
        var slowId = await IdAsync(slow);
        var adminId = await IdAsync(admin);
        await OperatorSteps.SetStatusAsync(slow, "online");

        await engine.Flow()
            .Send("Позовите оператора")
            .ExpectDialog(d => d.OperatorId == slowId)
            // The admin comes online; the slow operator does not answer in time, so the dialog moves to the admin.
            .Then(_ => OperatorSteps.SetStatusAsync(admin, "online"))
            .AdvanceTime(TimeSpan.FromSeconds(119))
            .Then(async c => Assert.Equal(slowId, (await c.DialogAsync()).OperatorId))
            .AdvanceTime(TimeSpan.FromSeconds(2))
            .ExpectDialog(d => d.OperatorId == adminId)
            .Then(async c => Assert.Contains("requeued", await engine.DialogEventsAsync(c.DialogId!)));
    }

    [Fact]
    public async Task Hold_message_reaches_the_client_and_a_silent_client_is_closed_out()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var settings = await admin.PutAsJsonAsync("/api/v1/call-centres/default", new
        {
            timers = new
            {
                holdPatterns = new[] { "Минуту, уточняю" },
                holdOperatorTimeout = "00:01:00",
                holdOperatorMessage = "Спасибо за ожидание, оператор скоро вернётся.",
                clientAutoCloseAfter = "00:10:00",
                clientAutoCloseMessage = "Диалог закрыт, так как вы не ответили.",
            },
        });
        Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
        await OperatorSteps.SetStatusAsync(admin, "online");
        var adminId = await IdAsync(admin);

        await engine.Flow()
            .Send("Позовите оператора")
            .ExpectDialog(d => d.OperatorId == adminId)
            .Then(async c => Assert.Equal(HttpStatusCode.OK,
                (await admin.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = "Минуту, уточняю" })).StatusCode))
            .ExpectReplyEventually(r => r.Text == "Минуту, уточняю")
            .AdvanceTime(TimeSpan.FromMinutes(1))
            .ExpectReply("Спасибо за ожидание, оператор скоро вернётся.")
            // A normal message starts the client's timeout; the client stays silent past it.
            .Then(async c => Assert.Equal(HttpStatusCode.OK,
                (await admin.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = "Ваша карта разблокирована." })).StatusCode))
            .ExpectReply("Ваша карта разблокирована.")
            .AdvanceTime(TimeSpan.FromMinutes(10))
            .ExpectReply("Диалог закрыт, так как вы не ответили.")
            .ExpectDialogState(DialogStates.Closed);
    }

    [Fact]
    public async Task A_waiting_client_is_told_its_place_and_not_again_while_nothing_changes()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { queueNoticeInterval = "00:01:00" })).StatusCode);
        await engine.Flow("first")
            .Send("Позовите оператора")
            .ExpectReplyEventually(r => r.Text?.Contains("Вы в очереди: 1", StringComparison.Ordinal) == true);
        // Nobody is online and nobody moves: however much time passes, the second client is not told its place again.
        var notices = engine.Services.GetRequiredService<QueueNoticeLoop>();
        await engine.Flow("second")
            .Send("Позовите оператора")
            .ExpectReplyEventually(r => r.Text?.Contains("Вы в очереди: 2", StringComparison.Ordinal) == true)
            .AdvanceTime(TimeSpan.FromMinutes(2))
            .Then(async _ => Assert.Equal(0, await notices.RefreshAsync(CancellationToken.None)))
            .AdvanceTime(TimeSpan.FromMinutes(2))
            .Then(async _ => Assert.Equal(0, await notices.RefreshAsync(CancellationToken.None)))
            .ExpectNoMoreReplies();
    }

    [Fact]
    public async Task A_dialog_waiting_past_the_overflow_time_goes_to_the_wider_line()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/channel-bindings/directline", new { line = "cards" })).StatusCode);
        var overflow = await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { overflow = new { after = "00:03:00", line = "general" } });
        Assert.Equal(HttpStatusCode.NoContent, overflow.StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "gena", languages: ["ru"], lines: ["general"]);
        using var gena = await engine.OperatorAsync("gena");
        var genaId = await IdAsync(gena);
        await OperatorSteps.SetStatusAsync(gena, "online");
        StoredDialog? queued = null;

        // Nobody serves "cards": the dialog waits, then overflows to "general" and reaches Gena.
        await engine.Flow()
            .Send("Позовите оператора")
            .ExpectDialogState(DialogStates.Queued, d => queued = d)
            .AdvanceTime(TimeSpan.FromMinutes(2))
            .Then(async c => Assert.Equal(DialogStates.Queued, (await c.DialogAsync()).State))
            .AdvanceTime(TimeSpan.FromMinutes(1))
            .ExpectDialog(d => d.OperatorId == genaId, inspect: assigned =>
            {
                Assert.Equal("cards", queued!.Line);
                var waited = TimeSpan.FromMicroseconds(assigned.AssignedAt!.Value - queued.QueuedAt!.Value);
                Assert.True(waited >= TimeSpan.FromMinutes(3), $"assigned after {waited}, before the 3 min overflow");
            });
    }

    [Fact]
    public async Task An_article_that_asks_for_a_skill_reaches_only_an_operator_with_it()
    {
        await using var engine = await FlowEngine.StartAsync();
        using var admin = await engine.OperatorAsync();
        var import = await admin.PostAsync("/api/v1/kb/import", new StringContent("""
            { "articles": [ { "id": "fraud_report_ru", "title": "Мошенничество", "questions": ["С моей карты украли деньги мошенники"],
                              "answers": [ { "text": "Соединяю со специалистом по мошенничеству." }, { "text": "/operator skills=fraud" } ] } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        await OperatorSteps.SetStatusAsync(admin, "online"); // no skills: must not get it
        await OperatorSteps.CreateOperatorAsync(admin, "fedor", languages: ["ru"]);
        using var fedor = await engine.OperatorAsync("fedor");
        var fedorId = await IdAsync(fedor);
        // The supervisor gives Fedor the skill afterwards; bad changes are refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/operators/{fedorId}", new { maxDialogs = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/v1/operators/nobody", new { skills = new[] { "fraud" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/operators/{fedorId}", new { skills = new[] { "fraud" } })).StatusCode);

        await engine.Flow()
            .Send("С моей карты украли деньги мошенники")
            .ExpectAnswer("Соединяю со специалистом по мошенничеству.")
            .ExpectDialogState(DialogStates.Queued)
            .Then(_ => OperatorSteps.SetStatusAsync(fedor, "online"))
            .ExpectDialog(d => d.OperatorId == fedorId);
    }

    private static async Task<string> IdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
}
