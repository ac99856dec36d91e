using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>What operators may read: their own dialogs and feed events, never another's; agents' secrets never.</summary>
public sealed class AccessControlTests
{
    [Fact]
    public async Task An_operator_reads_only_the_dialogs_they_hold_and_a_supervisor_reads_all()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "anna");
        await OperatorSteps.CreateOperatorAsync(admin, "boris");
        using var anna = engine.OperatorClient(await engine.OperatorTokenAsync("anna", "password-anna"));
        using var boris = engine.OperatorClient(await engine.OperatorTokenAsync("boris", "password-boris"));
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "nobody", password = "password-nobody", permissions = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var nobody = engine.OperatorClient(await engine.OperatorTokenAsync("nobody", "password-nobody"));

        // Boris listens to the live feed before anything happens; Anna is the only one online.
        using var borisFeed = await OpenFeedAsync(boris);
        await OperatorSteps.SetStatusAsync(anna, "online");
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Позовите оператора, пожалуйста");
        var annaId = (await anna.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        var dialogId = (await Eventually.WaitAsync(async () =>
            (await anna.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned&operatorId={annaId}"))!.FirstOrDefault()?.AsObject()))["id"]!.GetValue<string>();
        await chat.SendAsync("Мой номер карты 4276 0000 1111 2222");

        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"/api/v1/dialogs/{dialogId}/messages")).StatusCode);
        Assert.Empty((await boris.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await boris.GetAsync($"/api/v1/dialogs/{dialogId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await boris.GetAsync($"/api/v1/dialogs/{dialogId}/messages")).StatusCode);
        Assert.Contains((await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs"))!, d => d!["id"]!.GetValue<string>() == dialogId);

        // Without permissions: no dialogs, no feed, no classifier, and no way to be given clients.
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/api/v1/dialogs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync($"/api/v1/dialogs/{dialogId}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/api/v1/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.PostAsJsonAsync("/api/v1/nlu/classify", new { text = "карта" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" })).StatusCode);

        // Boris's feed skipped everything about Anna's dialog: the first event it carries is about his own.
        await OperatorSteps.SetStatusAsync(boris, "online");
        using var second = await DirectLineClient.StartAsync(engine.BaseUri);
        await second.SendAsync("Соедините с оператором", userId: "user-2");
        var first = await borisFeed.NextEventAsync();
        // His own status change and queue nudges name no dialog.
        while (first["dialogId"]?.GetValue<string>() is null or { Length: 0 })
            first = await borisFeed.NextEventAsync();
        var borisDialog = (await Eventually.WaitAsync(async () => (await boris.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned"))!.FirstOrDefault()?.AsObject()))["id"]!.GetValue<string>();
        Assert.NotEqual(dialogId, borisDialog);
        Assert.Equal(borisDialog, first["dialogId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Agent_secrets_are_never_returned_and_an_export_imported_back_keeps_them()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        const string secret = "agent-secret-0123456789";
        var agent = new { id = "crm", name = "CRM", url = "http://127.0.0.1:9/agent", secret };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/kb/agents", agent)).StatusCode);

        foreach (var path in new[] { "/api/v1/kb/agents", "/api/v1/kb/agents/crm", "/api/v1/kb/export" })
        {
            var body = await admin.GetStringAsync(path);
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.Contains(KbSecrets.Placeholder, body, StringComparison.Ordinal);
        }

        // The export, imported back as the whole KB, and a rename sent with the placeholder keep the stored secret.
        var export = await admin.GetStringAsync("/api/v1/kb/export");
        var imported = await admin.PostAsync("/api/v1/kb/import?replace=true", new StringContent(export, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var renamed = await admin.PutAsJsonAsync("/api/v1/kb/agents/crm", agent with { name = "CRM 2", secret = KbSecrets.Placeholder });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var stored = engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Agents.Single(a => a.Id == "crm");
        Assert.Equal(("CRM 2", secret), (stored.Name, stored.Secret));

        // A new agent cannot be created with the placeholder as its secret.
        var placeholder = await admin.PostAsJsonAsync("/api/v1/kb/agents", agent with { id = "crm-2" , secret = KbSecrets.Placeholder });
        Assert.Equal(HttpStatusCode.BadRequest, placeholder.StatusCode);
        Assert.Contains("secret", await placeholder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<EventFeed> OpenFeedAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new EventFeed(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed class EventFeed(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<JsonObject> NextEventAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                    return JsonNode.Parse(line["data: ".Length..])!.AsObject();
            }
            throw new EndOfStreamException("The event feed ended.");
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
