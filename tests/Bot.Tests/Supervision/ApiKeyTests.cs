using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using Dapper;

namespace BotEngine.Bot.Tests.Supervision;

/// <summary>
/// API keys: an administrator makes one with scopes and sees its secret once; only a hash is stored; the key works as a
/// bearer on the export and webhooks API within its scopes and nowhere else; revoking it stops it at once; every change
/// is in the audit log, a change made with the key under the key's name.
/// </summary>
public sealed class ApiKeyTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_key_works_within_its_scopes_on_export_and_webhooks_until_revoked(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();

        // Refusals name the field; an operator without modify_users cannot make keys.
        await AssertRefusedAsync(admin, new { name = "", scopes = new[] { "view_stat" } }, HttpStatusCode.BadRequest, "api_key.name");
        await AssertRefusedAsync(admin, new { name = "bi", scopes = Array.Empty<string>() }, HttpStatusCode.BadRequest, "api_key.scopes");
        await AssertRefusedAsync(admin, new { name = "bi", scopes = new[] { "modify_users" } }, HttpStatusCode.BadRequest, "api_key.scope_unknown");
        await OperatorSteps.CreateOperatorAsync(admin, "olga");
        using var olga = await engine.OperatorAsync("olga");
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "view_stat" } })).StatusCode);

        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "BI export", scopes = new[] { "view_dialogs_search", "modify_configuration" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = body["key"]!.GetValue<string>();
        var id = body["id"]!.GetValue<string>();
        Assert.StartsWith("bek_" + id + ".", key, StringComparison.Ordinal);
        Assert.Equal(["modify_configuration", "view_dialogs_search"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // Shown once: the list never has it, and the database holds only a hash of the secret.
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/api-keys"))!.Single()!;
        Assert.Null(listed["key"]);
        Assert.Equal("admin", listed["createdByLogin"]!.GetValue<string>());
        var stored = await engine.Database.ReadAsync(c => c.QuerySingleAsync<string>("SELECT secret_hash FROM api_keys WHERE id = @id", new { id }), CancellationToken.None);
        var secret = key.Split('.', 2)[1];
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);

        using var bearer = engine.Server.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // Within its scopes: the dialog export and the webhooks API, where a change is recorded under the key's name.
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/export/dialogs?changedSince=2026-01-01T00:00:00Z")).StatusCode);
        var hook = await bearer.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.com/hooks", events = new[] { "dialog.closed" } });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/webhooks")).StatusCode);
        // Outside its scopes: 403; outside the export and webhooks API: 401 naming where keys count.
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.GetAsync("/api/v1/export/statistics?since=2026-01-01T00:00:00Z&until=2026-12-01T00:00:00Z")).StatusCode);
        var elsewhere = await bearer.GetAsync("/api/v1/operators");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Contains("/api/v1/export", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A wrong secret with a real id is refused.
        using var forged = engine.Server.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"bek_{id}.{new string('A', secret.Length)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/webhooks")).StatusCode);

        // Revoked: refused at once; still listed with when; revoking an unknown key is 404.
        engine.Advance(TimeSpan.FromSeconds(1)); // the audit log's order is by time
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);
        var revoked = await bearer.GetAsync("/api/v1/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull((await admin.GetFromJsonAsync<JsonArray>("/api/v1/api-keys"))!.Single()!["revokedAt"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/api-keys/nope")).StatusCode);

        // The audit log: the key made and revoked by the admin, the webhook made with the key.
        var keyAudit = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit?area=api_keys"))!["entries"]!.AsArray();
        Assert.Equal(["DELETE /api/v1/api-keys/" + id, "POST /api/v1/api-keys"], keyAudit.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(keyAudit, e => Assert.Equal("admin", e!["actorLogin"]!.GetValue<string>()));
        var hookAudit = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/audit?area=webhooks"))!["entries"]!.AsArray().Single()!;
        Assert.Equal("BI export", hookAudit["actorLogin"]!.GetValue<string>());
        Assert.Equal("apikey:" + id, hookAudit["actorId"]!.GetValue<string>());
    }

    private static async Task AssertRefusedAsync(HttpClient client, object body, HttpStatusCode status, string code)
    {
        var response = await client.PostAsJsonAsync("/api/v1/api-keys", body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }
}
