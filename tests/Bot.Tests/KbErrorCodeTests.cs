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
