using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using static BotEngine.Bot.Tests.KbApiTests;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The KB API's validation errors carry a code and the value they quote (what the editor page turns into its own
/// language), and the bot's confidence threshold is a stored KB setting that outlives a restart.
/// </summary>
public sealed class KbErrorCodeTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Errors_name_their_field_code_and_value_and_the_threshold_is_stored(StorageKind storage)
    {
        string? dataDir = null;
        string? connectionString = null;
        Func<Task> drop = () => Task.CompletedTask;
        if (storage == StorageKind.Postgres)
            (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        else
            dataDir = TestDatabases.NewTempDir();
        Task<EngineHost> Start() => connectionString is not null
            ? EngineHost.StartOnPostgresAsync(connectionString)
            : EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir!], keepData: true);
        try
        {
            await using (var engine = await Start())
            {
                using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
                var mask = await ErrorsAsync(await PostJsonAsync(api, "/api/v1/kb/slots",
                    """{ "id": "phone", "name": "Phone", "type": "phone", "mask": "+7 ###", "question": { "text": "Your number?" } }"""));
                Assert.Equal(("mask", "mask", "+7 ###"), Single(mask));

                var missing = await ErrorsAsync(await PostJsonAsync(api, "/api/v1/kb/articles",
                    """{ "id": "x1", "title": "X", "questions": ["x"], "answers": [ { "text": "x", "buttons": [ { "label": "Go", "article": "nowhere" } ] } ] }"""));
                Assert.Equal(("answers[0].buttons[0].article", "missing_article", "nowhere"), Single(missing));

                var exists = await PostJsonAsync(api, "/api/v1/kb/record-types", """{ "id": "KB", "name": "again" }""");
                Assert.Equal(HttpStatusCode.Conflict, exists.StatusCode);
                Assert.Equal(("id", "exists", "KB"), Single(await ErrorsAsync(exists)));

                var badJson = await ErrorsAsync(await PutJsonAsync(api, "/api/v1/kb/agents/a1", """{ "name": "A", "timeoutSeconds": "soon" }"""));
                Assert.Equal("json", badJson[0]!["code"]!.GetValue<string>());

                var settings = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/settings"))!;
                settings["minConfidence"] = 1.5;
                var range = await ErrorsAsync(await api.PutAsJsonAsync("/api/v1/kb/settings", settings));
                Assert.Equal(("settings.minConfidence", "range", "0–1"), Single(range));
                settings["minConfidence"] = 0.99;
                Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/kb/settings", settings)).StatusCode);
                Assert.Equal(0.99, engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Settings.MinConfidence);
            }

            await using (var restarted = await Start())
            {
                using var api = restarted.OperatorClient(await restarted.OperatorTokenAsync());
                Assert.Equal(0.99, (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/settings"))!["minConfidence"]!.GetValue<double>());
                // The test panel reports the stored threshold, and the bot uses it: a guess below 0.99 is not answered.
                var trial = (await (await api.PostAsJsonAsync("/api/v1/kb/trial", new { text = "хочу что-то про карту и вклад", language = "ru" })).Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Equal(0.99, trial["threshold"]!.GetValue<double>());
                Assert.True(trial["top"]!.AsArray()[0]!["confidence"]!.GetValue<double>() < 0.99);
                Assert.Null(trial["chosenArticleId"]?.GetValue<string>());
            }
        }
        finally
        {
            await drop();
            if (dataDir is not null)
                TestDatabases.TryDelete(dataDir);
        }
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Every_change_of_an_article_is_a_version_with_its_author_and_one_can_be_restored(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators",
            new { login = "editor", password = "password-editor", displayName = "Editor", permissions = new[] { "view_kb", "modify_knowledgebase" } })).StatusCode);
        using var editor = engine.OperatorClient(await engine.OperatorTokenAsync("editor", "password-editor"));

        // The seeded article has the engine's version; two edits by the editor follow it.
        var seeded = (await editor.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles/card_block_ru/history"))!;
        var first = Assert.Single(seeded)!;
        Assert.Null(first["author"]);
        var original = (await editor.GetFromJsonAsync<JsonObject>("/api/v1/kb/articles/card_block_ru"))!;
        foreach (var title in new[] { "Блокировка карты, правка 1", "Блокировка карты, правка 2" })
        {
            var edited = original.DeepClone().AsObject();
            edited["title"] = title;
            Assert.Equal(HttpStatusCode.OK, (await editor.PutAsJsonAsync("/api/v1/kb/articles/card_block_ru", edited)).StatusCode);
        }
        var history = (await editor.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles/card_block_ru/history"))!;
        Assert.Equal(3, history.Count);
        Assert.Equal(["editor", "editor", null], history.Select(v => v!["author"]?.GetValue<string>()));
        var revisions = history.Select(v => v!["revision"]!.GetValue<long>()).ToList();
        Assert.True(revisions[0] > revisions[1] && revisions[1] > revisions[2]);
        var middle = (await editor.GetFromJsonAsync<JsonObject>($"/api/v1/kb/articles/card_block_ru/history/{revisions[1]}"))!;
        Assert.Equal("Блокировка карты, правка 1", middle["title"]!.GetValue<string>());

        // Restoring the seeded version makes it current again, as a new version; the KB serves it at once.
        var restored = await editor.PostAsync($"/api/v1/kb/articles/card_block_ru/history/{revisions[2]}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(original["title"]!.GetValue<string>(), engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Articles.Single(a => a.Id == "card_block_ru").Title);
        Assert.Equal(4, (await editor.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles/card_block_ru/history"))!.Count);

        // A deletion is a version too; a version that no longer fits the KB is refused, naming the field.
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(editor, "/api/v1/kb/articles",
            """{ "id": "temp_link", "title": "Temp", "questions": ["temp link"], "answers": [ { "text": "See", "buttons": [ { "label": "Go", "article": "card_block_ru" } ] } ] }""")).StatusCode);
        var created = (await editor.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles/temp_link/history"))![0]!["revision"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync("/api/v1/kb/articles/temp_link")).StatusCode);
        Assert.True((await editor.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles/temp_link/history"))![0]!["deleted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync($"/api/v1/kb/articles/temp_link/history/{created}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync("/api/v1/kb/articles/temp_link/history/999999")).StatusCode);

        // Reading the history needs view_kb only; restoring needs modify_knowledgebase.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators",
            new { login = "reader", password = "password-reader", displayName = "Reader", permissions = new[] { "view_kb" } })).StatusCode);
        using var reader = engine.OperatorClient(await engine.OperatorTokenAsync("reader", "password-reader"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/kb/articles/card_block_ru/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/v1/kb/articles/card_block_ru/history/{revisions[1]}/restore", null)).StatusCode);
    }

    [Fact]
    public async Task An_import_dry_run_lists_what_would_change_and_stores_nothing()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var runtime = engine.Services.GetRequiredService<KnowledgeRuntime>();
        var revision = runtime.Status.Revision;
        var block = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/articles/card_block_ru"))!;
        block["title"] = "Блокировка (импорт)";
        var document = new JsonObject
        {
            ["version"] = 1,
            ["articles"] = new JsonArray(block, JsonNode.Parse("""{ "id": "imported_one", "title": "Imported", "questions": ["imported"], "answers": [ { "text": "Yes." } ] }""")),
        };
        var merge = await PostJsonAsync(api, "/api/v1/kb/import?dryRun=true", document.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        var changes = (await merge.Content.ReadFromJsonAsync<JsonArray>())!.Select(c => (c!["collection"]!.GetValue<string>(), c["id"]!.GetValue<string>(), c["change"]!.GetValue<string>())).ToList();
        Assert.Equal([("articles", "card_block_ru", "changed"), ("articles", "imported_one", "added")], changes);

        // Replacing would drop every other article (and what else the document lacks), listed as removed.
        var alone = """{ "version": 1, "articles": [ { "id": "imported_one", "title": "Imported", "questions": ["imported"], "answers": [ { "text": "Yes." } ] } ] }""";
        var replace = (await (await PostJsonAsync(api, "/api/v1/kb/import?dryRun=true&replace=true", alone)).Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Contains(replace, c => c!["id"]!.GetValue<string>() == "card_lost_ru" && c["change"]!.GetValue<string>() == "removed");

        // An invalid document is refused by the dry run as by the import, naming the field.
        document["articles"]![1]!["answers"] = new JsonArray();
        var refused = await PostJsonAsync(api, "/api/v1/kb/import?dryRun=true", document.ToJsonString());
        var (path, code, _) = Single(await ErrorsAsync(refused));
        Assert.Equal("answers_required", code);
        Assert.Matches(@"^articles\[\d+\]\.answers$", path);

        Assert.Equal(revision, runtime.Status.Revision);
        Assert.DoesNotContain(runtime.Document.Articles, a => a.Id == "imported_one");
    }

    private static async Task<JsonArray> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.True((int)response.StatusCode is 400 or 409, $"{response.StatusCode}");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return problem["errors"]!.AsArray();
    }

    private static (string Path, string Code, string? Value) Single(JsonArray errors)
    {
        var error = Assert.Single(errors)!;
        return (error["path"]!.GetValue<string>(), error["code"]!.GetValue<string>(), error["value"]?.GetValue<string>());
    }
}
