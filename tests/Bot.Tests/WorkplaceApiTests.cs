using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>The workplace's API (issue 14): answer templates, the grouped list, the client card, suggestions, sending an article, taking from the queue.</summary>
public sealed class WorkplaceApiTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Templates_are_personal_or_shared_validated_and_only_their_owner_changes_them(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await OperatorSteps.CreateOperatorAsync(admin, "vera");
        await OperatorSteps.CreateOperatorAsync(admin, "gleb");
        using var vera = engine.OperatorClient(await engine.OperatorTokenAsync("vera", "password-vera"));
        using var gleb = engine.OperatorClient(await engine.OperatorTokenAsync("gleb", "password-gleb"));

        var own = await vera.PostAsJsonAsync("/api/v1/templates", new { title = "Прощание", text = "Всего доброго, {client.name}!", shortcut = "/пока", hotkey = 2 });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var created = (await own.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("пока", created["shortcut"]!.GetValue<string>());
        Assert.False(created["shared"]!.GetValue<bool>());
        var shared = await admin.PostAsJsonAsync("/api/v1/templates", new { title = "Ожидание", text = "Минутку, {client.name}.", shared = true });
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        var sharedId = (await shared.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // Vera sees hers and the shared one; Gleb only the shared one, and cannot change or even find Vera's.
        Assert.Equal(["Ожидание", "Прощание"], Titles(await vera.GetFromJsonAsync<JsonArray>("/api/v1/templates")));
        Assert.Equal(["Ожидание"], Titles(await gleb.GetFromJsonAsync<JsonArray>("/api/v1/templates")));
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await gleb.PutAsJsonAsync($"/api/v1/templates/{id}", new { title = "x", text = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gleb.DeleteAsync($"/api/v1/templates/{id}")).StatusCode);
        // A shared template is a supervisor's to make and change.
        Assert.Equal(HttpStatusCode.Forbidden, (await gleb.PostAsJsonAsync("/api/v1/templates", new { title = "t", text = "x", shared = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gleb.DeleteAsync($"/api/v1/templates/{sharedId}")).StatusCode);

        // Bad input is a 400 naming the field.
        foreach (var (body, field) in new (object, string)[]
        {
            (new { text = "x" }, "title"), (new { title = "t" }, "text"), (new { title = "t", text = "x", hotkey = 10 }, "hotkey"),
            (new { title = "t", text = "x", shortcut = "два слова" }, "shortcut"), (new { title = "t", text = new string('x', 4001) }, "text"),
        })
        {
            var refused = await vera.PostAsJsonAsync("/api/v1/templates", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith(field + ":", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var changed = await vera.PutAsJsonAsync($"/api/v1/templates/{id}", new { title = "До свидания", text = "До свидания!", hotkey = 3 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(3, (await changed.Content.ReadFromJsonAsync<JsonObject>())!["hotkey"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, (await vera.DeleteAsync($"/api/v1/templates/{id}")).StatusCode);
        Assert.Equal(["Ожидание"], Titles(await vera.GetFromJsonAsync<JsonArray>("/api/v1/templates")));
    }

    [Fact]
    public async Task The_list_names_the_client_and_the_card_suggestions_and_article_sending_work_on_a_held_dialog()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        await OperatorSteps.SetStatusAsync(admin, "online");
        var row = await Eventually.WaitAsync(async () =>
        {
            var list = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/workplace/dialogs"))!;
            return list["mine"]!.AsArray().FirstOrDefault()?.AsObject();
        });
        var dialogId = row["id"]!.GetValue<string>();
        Assert.Equal("assigned", row["state"]!.GetValue<string>());
        Assert.Equal("Позовите оператора", row["lastText"]!.GetValue<string>());
        Assert.Equal(1, row["clientMessages"]!.GetValue<int>());
        Assert.NotNull(row["responseDueAt"]);

        await chat.SendAsync("Как заблокировать карту?");
        var suggestions = await Eventually.WaitAsync(async () =>
        {
            var s = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/suggestions"))!;
            return s["forText"]?.GetValue<string>() == "Как заблокировать карту?" ? s : null;
        });
        var items = suggestions["items"]!.AsArray();
        Assert.InRange(items.Count, 1, 3);
        Assert.Contains(items, i => i!["articleId"]!.GetValue<string>().StartsWith("card_block", StringComparison.Ordinal));
        Assert.All(items, i => Assert.InRange(i!["confidence"]!.GetValue<double>(), 0, 1));

        // Sending an article accepts the offered dialog (the client hears the operator joined), sends its answers with
        // their buttons, and stores the client's message as an operator-choice example of it.
        var sent = await admin.PostAsync($"/api/v1/dialogs/{dialogId}/articles/card_block_ru", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var joined = await chat.WaitForBotAsync(a => DirectLineClient.Text(a)?.Contains("подключился", StringComparison.Ordinal) == true);
        var withButtons = await chat.WaitForBotAsync(a => a["suggestedActions"] is not null && a["channelData"]?["author"]?.GetValue<string>() == "operator");
        Assert.True(chat.Received.IndexOf(joined) < chat.Received.IndexOf(withButtons));
        var examples = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/examples"))!["examples"]!.AsArray();
        Assert.Contains(examples, e => e!["articleId"]?.GetValue<string>() == "card_block_ru" && e["text"]!.GetValue<string>() == "Как заблокировать карту?");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/dialogs/{dialogId}/articles/no_such_article", null)).StatusCode);

        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}/client"))!;
        Assert.Equal("directline", card["channels"]!.AsArray().Single()!["channel"]!.GetValue<string>());
        Assert.NotEmpty(card["topics"]!.AsArray());

        // Taking a dialog that is not waiting is a 409 with the page's code.
        var take = await admin.PostAsync($"/api/v1/dialogs/{dialogId}/take", null);
        Assert.Equal(HttpStatusCode.Conflict, take.StatusCode);
        Assert.Equal("dialog.not_queued", (await take.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    private static List<string> Titles(JsonArray? list) => [.. list!.Select(t => t!["title"]!.GetValue<string>())];
}
