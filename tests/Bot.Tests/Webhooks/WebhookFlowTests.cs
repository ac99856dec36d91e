using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Bot.Tests.Webhooks;

/// <summary>
/// Outgoing webhooks against a local receiver, on both storages: one that refuses every event's first attempt gets
/// every event exactly once, in order within each dialog, signed; one that is down dead-letters the deliveries, and a
/// dead letter replayed once it is up arrives.
/// </summary>
public sealed class WebhookFlowTests
{
    private static readonly string[] Args =
        ["--Webhooks:MaxAttempts=3", "--Webhooks:RetryBaseDelay=00:00:01", "--Webhooks:RetryMaxDelay=00:00:02"];

    private static readonly TimeSpan RetryNudge = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Events_arrive_once_in_order_after_retries_and_a_dead_letter_is_replayed(StorageKind storage)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await FlowEngine.StartAsync(storage, Args);
        using var admin = await engine.OperatorAsync();

        var flaky = await SubscribeAsync(admin, receiver, "flaky", ["dialog.created", "dialog.queued", "dialog.assigned", "dialog.closed", "message.in", "message.out", "operator.status"]);
        var down = await SubscribeAsync(admin, receiver, "down", ["message.in"]);

        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = await engine.OperatorAsync("olga");
        var bot = engine.Flow("wh-bot");
        await bot.Send("Как заблокировать карту?").ExpectReplyEventually(r => r.Text?.StartsWith("Заблокировать карту", StringComparison.Ordinal) == true);
        await OperatorSteps.SetStatusAsync(olga, "online");
        var person = engine.Flow("wh-person");
        await person.Send("Позовите оператора")
            .ExpectDialog(d => d.OperatorId != null && d.State == DialogStates.Assigned)
            .Then(async c => Assert.Equal(HttpStatusCode.OK, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/messages", new { text = "Здравствуйте, Ольга" })).StatusCode))
            .ExpectReplyEventually(r => r.Text == "Здравствуйте, Ольга")
            .Then(async c => Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{c.DialogId}/close", new { topic = "Карты" })).StatusCode))
            .ExpectDialogState(DialogStates.Closed);
        await OperatorSteps.SetStatusAsync(olga, "offline");
        var dialogs = new[] { bot.Client.DialogId!, person.Client.DialogId! };

        // What the engine stored, as event ids: every message and the dialog events subscribed to, and olga's statuses.
        var expected = await engine.Database.ReadAsync(async c =>
        {
            var messages = await c.QueryAsync<string>("SELECT 'message:' || id FROM messages WHERE dialog_id IN ('" + string.Join("','", dialogs) + "')");
            var events = await c.QueryAsync<string>("SELECT 'dialog:' || dialog_id || ':' || kind || ':' || CAST(at AS TEXT) FROM dialog_events WHERE kind IN ('opened', 'queued', 'requeued', 'assigned', 'closed') AND dialog_id IN ('" + string.Join("','", dialogs) + "')");
            var statuses = await c.QueryAsync<string>("SELECT 'status:' || s.operator_id || ':' || CAST(s.at AS TEXT) || ':' || s.status FROM operator_status_log s JOIN operators o ON o.id = s.operator_id WHERE o.login = 'olga'");
            return messages.Concat(events).Concat(statuses).ToHashSet();
        }, CancellationToken.None);
        Assert.Contains(expected, e => e.Contains(":closed:", StringComparison.Ordinal));

        try
        {
            await WaitWithRetriesAsync(engine, () => Task.FromResult(Accepted(receiver, "flaky").Select(r => r.EventId).ToHashSet().SetEquals(expected)),
                "every event accepted by the flaky receiver");
        }
        catch (TimeoutException ex)
        {
            var got = Accepted(receiver, "flaky").Select(r => r.EventId).ToHashSet();
            var log = await admin.GetStringAsync($"/api/v1/webhooks/{flaky}/deliveries?limit=200");
            throw new TimeoutException($"{ex.Message} Missing: {string.Join(" ", expected.Except(got))}; unexpected: {string.Join(" ", got.Except(expected))}; "
                + $"{receiver.Requests.Count} requests; log: {log}", ex);
        }
        var accepted = Accepted(receiver, "flaky");
        // Exactly once each, after a refused first attempt, signed with the subscription's secret at the engine's time.
        Assert.Equal(accepted.Count, accepted.Select(r => r.EventId).Distinct().Count());
        var attempts = receiver.Requests.Where(r => r.Path == "flaky").GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(accepted, r => Assert.Equal(2, attempts[r.EventId]));
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid, $"signature of {r.EventId} on /{r.Path}"));
        Assert.All(receiver.Requests, r => Assert.InRange(r.SignedAt, engine.Clock.GetUtcNow().ToUnixTimeSeconds() - 300, engine.Clock.GetUtcNow().ToUnixTimeSeconds()));
        // In order within each dialog: what arrived is sorted by the events' time, and starts with the dialog's creation.
        foreach (var dialogId in dialogs)
        {
            var arrived = accepted.Where(r => r.DialogId == dialogId).ToList();
            Assert.Equal(arrived.OrderBy(r => r.At).Select(r => r.EventId), arrived.Select(r => r.EventId));
            Assert.Equal("dialog.created", arrived[0].EventType);
            var stored = await engine.Database.ReadAsync(c => c.QueryAsync<string>(
                "SELECT 'message:' || id FROM messages WHERE dialog_id = @dialogId ORDER BY created_at, seq, id", new { dialogId }), CancellationToken.None);
            Assert.Equal(stored, arrived.Where(r => r.EventType.StartsWith("message.", StringComparison.Ordinal)).Select(r => r.EventId));
        }
        var assigned = accepted.Single(r => r.EventType == "dialog.assigned");
        Assert.Equal(person.Client.DialogId, assigned.DialogId);
        var reply = accepted.Single(r => r.EventType == "message.out" && r.Body["data"]!["text"]?.GetValue<string>() == "Здравствуйте, Ольга");
        Assert.Equal("operator", reply.Body["data"]!["author"]!.GetValue<string>());
        Assert.Equal("Карты", accepted.Single(r => r.EventType == "dialog.closed" && r.DialogId == person.Client.DialogId).Body["data"]!["topic"]!.GetValue<string>());

        // The receiver that is down: each client message tried three times, then dead.
        var clientMessages = expected.Count(e => e.StartsWith("message:", StringComparison.Ordinal)
            && accepted.Single(r => r.EventId == e).EventType == "message.in");
        await WaitWithRetriesAsync(engine, async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{down}/deliveries?state=dead"))!["deliveries"]!.AsArray().Count == clientMessages,
            "the down receiver's deliveries dead-lettered");
        var dead = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{down}/deliveries?state=dead"))!;
        Assert.All(receiver.Requests.Where(r => r.Path == "down").GroupBy(r => r.EventId), g => Assert.Equal(3, g.Count()));
        var letter = dead["deliveries"]![0]!;
        Assert.Equal(3, letter["attempts"]!.GetValue<long>());
        Assert.Equal(500, letter["lastStatus"]!.GetValue<int>());
        var summary = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{down}"))!;
        Assert.Equal(clientMessages, summary["dead"]!.GetValue<long>());

        // Replayed once the receiver is up: delivered, once.
        receiver.DownRecovers = true;
        var letterId = letter["id"]!.GetValue<string>();
        var eventId = letter["eventId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/webhooks/{down}/deliveries/{letterId}/replay", null)).StatusCode);
        await engine.WaitAsync(() => Task.FromResult(Accepted(receiver, "down").Any(r => r.EventId == eventId)), "the replayed dead letter", RetryNudge);
        await engine.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{down}/deliveries?state=delivered"))!["deliveries"]!.AsArray().Count == 1,
            "the replayed delivery marked delivered", RetryNudge);
        Assert.Single(Accepted(receiver, "down"));
    }

    [Fact]
    public async Task Secrets_are_write_only_and_bad_subscriptions_are_400_naming_the_field()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, Args);
        using var admin = await engine.OperatorAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.BaseUrl + "/ok", events = new[] { "message.in" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = body["secret"]!.GetValue<string>();
        Assert.Equal(64, secret.Length);
        var id = body["id"]!.GetValue<string>();

        var listed = await admin.GetStringAsync("/api/v1/webhooks");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(listed)![0]!["secretSet"]!.GetValue<bool>());
        // An edit without the secret keeps it; one with a new secret replaces it, and neither answer shows it.
        var edited = await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { events = new[] { "message.in", "dialog.closed" }, secret = "another-secret-of-enough-length" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var editedText = await edited.Content.ReadAsStringAsync();
        Assert.DoesNotContain("another-secret", editedText, StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(editedText)!["events"]!.AsArray().Count);

        foreach (var (request, field) in new (object, string)[]
        {
            (new { url = "ftp://example.com/x", events = new[] { "message.in" } }, "url:"),
            (new { url = "not a url", events = new[] { "message.in" } }, "url:"),
            (new { url = "https://user:pw@example.com/", events = new[] { "message.in" } }, "url:"),
            (new { url = "https://example.com/", events = Array.Empty<string>() }, "events:"),
            (new { url = "https://example.com/", events = new[] { "message.in", "dialog.exploded" } }, "events[1]:"),
            (new { url = "https://example.com/", events = new[] { "message.in" }, secret = "short" }, "secret:"),
        })
        {
            var refused = await admin.PostAsJsonAsync("/api/v1/webhooks", request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith(field, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Single(JsonNode.Parse(await admin.GetStringAsync("/api/v1/webhooks"))!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/webhooks/nope/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries?state=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/webhooks/{id}/deliveries/nope/replay", null)).StatusCode);

        // Operators without modify_configuration see no webhooks.
        await OperatorSteps.CreateOperatorAsync(admin, "ivan");
        using var ivan = await engine.OperatorAsync("ivan");
        Assert.Equal(HttpStatusCode.Forbidden, (await ivan.GetAsync("/api/v1/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
    }

    private static async Task<string> SubscribeAsync(HttpClient admin, WebhookReceiver receiver, string path, string[] events)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = $"{receiver.BaseUrl}/{path}", events, description = path });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        receiver.Secrets[path] = body["secret"]!.GetValue<string>();
        return body["id"]!.GetValue<string>();
    }

    /// <summary>
    /// Waits for a condition while moving the clock past retry delays. Each event of a dialog waits for the one before
    /// it, so a dialog of ten events needs ten retry delays: more clock moves than one wait allows, hence a few waits.
    /// </summary>
    private static async Task WaitWithRetriesAsync(FlowEngine engine, Func<Task<bool>> condition, string what)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                await engine.WaitAsync(condition, what, RetryNudge);
                return;
            }
            catch (TimeoutException) when (round < 4)
            {
            }
        }
    }

    private static List<WebhookReceiver.Received> Accepted(WebhookReceiver receiver, string path) =>
        receiver.Requests.Where(r => r.Path == path && r.Accepted).ToList();
}
