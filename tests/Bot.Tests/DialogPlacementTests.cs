using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Where a dialog goes: a channel bound to a line gets that line's articles and operators. Skills and overflow are
/// tested in process (Flow/RoutingFlowTests).
/// </summary>
public sealed class DialogPlacementTests
{
    [Fact]
    public async Task A_channel_bound_to_a_line_gets_that_lines_articles_and_operators()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var import = await admin.PostAsync("/api/v1/kb/import", new StringContent("""
            {
              "articles": [
                { "id": "cash_limit_cards", "title": "Лимит снятия", "questions": ["Какой у меня лимит снятия наличных в банкомате?"],
                  "access": { "lines": ["cards"] }, "answers": [ { "text": "Лимит снятия по карте: 300 000 ₽ в сутки." } ] },
                { "id": "loan_limit_loans", "title": "Лимит кредита", "questions": ["Какой у меня кредитный лимит по займу?"],
                  "access": { "lines": ["loans"] }, "answers": [ { "text": "Кредитный лимит виден в приложении." } ] }
              ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        await Eventually.WaitAsync(async () =>
        {
            var status = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!;
            return status["classifierRevision"]!.GetValue<long>() == status["revision"]!.GetValue<long>() ? true : (bool?)null;
        }, TimeSpan.FromSeconds(60));

        // Bad bindings are refused with the field named.
        var badName = await admin.PutAsJsonAsync("/api/v1/channel-bindings/Direct%20Line", new { line = "cards" });
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("channel", (await badName.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/channel-bindings/directline", new { })).StatusCode);

        // Unbound, a dialog belongs to no line: line-restricted articles are not offered.
        using var unbound = await DirectLineClient.StartAsync(engine.BaseUri);
        var asked = await unbound.SendAsync("Какой у меня лимит снятия наличных в банкомате?", userId: "client-0");
        var reply = await unbound.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == asked);
        Assert.DoesNotContain("300 000", DirectLineClient.Text(reply));

        var bound = await admin.PutAsJsonAsync("/api/v1/channel-bindings/directline", new { line = "cards" });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        var list = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/channel-bindings"))!;
        Assert.Equal("cards", list.Single()!["line"]!.GetValue<string>());

        // Bound to "cards": the cards article answers, the loans one is not offered, and a handoff queues for the cards line.
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var cash = await chat.SendAsync("Какой у меня лимит снятия наличных в банкомате?", userId: "client-1");
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == cash && DirectLineClient.Text(a)!.Contains("300 000", StringComparison.Ordinal));
        var loan = await chat.SendAsync("Какой у меня кредитный лимит по займу?", userId: "client-1");
        var notOffered = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == loan);
        Assert.DoesNotContain("приложении", DirectLineClient.Text(notOffered));
        await chat.SendAsync("Позовите оператора", userId: "client-1");
        var queued = await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.FirstOrDefault()?.AsObject());
        Assert.Equal("cards", queued["line"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/channel-bindings/directline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/channel-bindings/directline")).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/v1/channel-bindings"))!);
    }
}
