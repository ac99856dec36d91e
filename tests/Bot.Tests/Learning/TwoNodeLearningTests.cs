using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Learning;

/// <summary>
/// Two engines on one PostgreSQL database: a label stored through one answers on the other, a model trained through
/// one is live on both, a rollback through the other brings the earlier model back on both; and the nightly job,
/// on a half-minute cron, runs once per occurrence although both nodes schedule it.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class TwoNodeLearningTests
{
    private const string CardAnswer = "Your card is blocked; a new one is on its way.";

    private const string Kb = """
        {
          "settings": { "fallbackText": { "en": "Sorry, I did not get that." } },
          "articles": [
            { "id": "card_lost", "title": "Lost card", "questions": ["I lost my card", "my card was stolen", "block my card", "I can't find my bank card", "my debit card is missing", "freeze my card"],
              "answers": [ { "text": "Your card is blocked; a new one is on its way." } ] },
            { "id": "rates", "title": "Exchange rates", "questions": ["what is the exchange rate", "dollar rate today", "euro exchange rate", "currency rates", "how much is a dollar", "rate for converting euros"],
              "answers": [ { "text": "Rates are on our site." } ] },
            { "id": "hours", "title": "Opening hours", "questions": ["when are you open", "opening hours", "what time does the branch open", "working hours of the office", "are you open on sunday", "when do you close"],
              "answers": [ { "text": "We are open 9 to 18." } ] }
          ]
        }
        """;

    private static readonly string[] Fast = ["--Knowledge:ReloadCheckInterval=00:00:01", "--Learning:CrossValidationFolds=2"];

    [Fact]
    public async Task A_label_a_promotion_and_a_rollback_through_one_node_take_effect_on_both()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            await using var nodeA = await EngineHost.StartOnPostgresAsync(connectionString, Fast);
            await using var nodeB = await EngineHost.StartOnPostgresAsync(connectionString, Fast);
            using var adminA = nodeA.OperatorClient(await nodeA.OperatorTokenAsync());
            using var adminB = nodeB.OperatorClient(await nodeB.OperatorTokenAsync());
            var import = await adminA.PostAsync("/api/v1/kb/import?replace=true", new StringContent(Kb, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            var runtimeA = nodeA.Services.GetRequiredService<KnowledgeRuntime>();
            var runtimeB = nodeB.Services.GetRequiredService<KnowledgeRuntime>();
            await Eventually.WaitAsync(() => Task.FromResult<bool?>(runtimeB.Document.Articles.Count == 3 ? true : null), TimeSpan.FromSeconds(30));

            // A label typed on A answers on B within the reload check.
            await LabelAsync(adminA, "snow tires in winter", "card_lost");
            await Eventually.WaitAsync(() => Task.FromResult<bool?>(Answer(runtimeB, "Snow tires in winter!") == "card_lost" ? true : null), TimeSpan.FromSeconds(15));

            // A model trained through A is live on both.
            var first = await TrainAsync(adminA, null);
            Assert.Equal("promoted", first["status"]!.GetValue<string>());
            var firstId = first["id"]!.GetValue<string>();
            await BothLiveAsync(runtimeA, runtimeB, firstId);

            // A second one, with more labels, replaces it on both.
            await LabelAsync(adminA, "winter wheels for my car", "card_lost");
            await LabelAsync(adminA, "studded tyres", "card_lost");
            var second = await TrainAsync(adminA, firstId);
            var secondId = second["id"]!.GetValue<string>();
            if (second["status"]!.GetValue<string>() != "promoted")
                Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/nlu/models/{secondId}/promote", null)).StatusCode);
            await BothLiveAsync(runtimeA, runtimeB, secondId);

            // Rolled back through B: the first model is live on both again, the second is "previous".
            var rollback = await adminB.PostAsync($"/api/v1/nlu/models/{firstId}/promote", null);
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
            await BothLiveAsync(runtimeA, runtimeB, firstId);
            var models = (await adminA.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models"))!.ToDictionary(m => m!["id"]!.GetValue<string>(), m => m!["status"]!.GetValue<string>());
            Assert.Equal("promoted", models[firstId]);
            Assert.Equal("previous", models[secondId]);
            // Both hold the restored model with the labels it learned (not the second model's).
            Assert.Equal(runtimeA.Live, runtimeB.Live);
            Assert.True(runtimeB.Live.ExamplesThrough < (await LabelTimesAsync(nodeA)).Max());
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task The_nightly_job_on_a_half_minute_cron_runs_once_per_occurrence_on_two_nodes()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            // A cron with seconds (every 30 s) and a 1 s look for due jobs: two occurrences within a minute.
            string[] schedule = [.. Fast, "--Jobs:Schedule=true", "--Jobs:TrainingCron=*/30 * * * * *", "--Jobs:PollingInterval=00:00:01", "--Jobs:TimeZone=UTC"];
            await using var nodeA = await EngineHost.StartOnPostgresAsync(connectionString, schedule);
            await using var nodeB = await EngineHost.StartOnPostgresAsync(connectionString, schedule);
            using var admin = nodeA.OperatorClient(await nodeA.OperatorTokenAsync());
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/kb/import?replace=true", new StringContent(Kb, Encoding.UTF8, "application/json"))).StatusCode);
            var database = nodeA.Services.GetRequiredService<Database>();

            // Two occurrences (two distinct half minutes) have run; each made exactly one model.
            var occurrences = await Eventually.WaitAsync(async () =>
            {
                var rows = (await database.ReadAsync(c => c.QueryAsync<long>("SELECT created_at FROM nlu_models WHERE trigger = 'nightly'"), CancellationToken.None)).ToList();
                var byHalfMinute = rows.GroupBy(r => r / 30_000_000).ToList();
                return byHalfMinute.Count >= 2 ? byHalfMinute : null;
            }, TimeSpan.FromSeconds(150));
            Assert.All(occurrences, m => Assert.Single(m));
        }
        finally
        {
            await drop();
        }
    }

    private static async Task<List<long>> LabelTimesAsync(EngineHost node) =>
        (await node.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryAsync<long>("SELECT created_at FROM training_examples"), CancellationToken.None)).ToList();

    private static string? Answer(KnowledgeRuntime runtime, string text) =>
        runtime.MatcherFor(runtime.Document).Match(text, "en") is [var best, ..] ? best.ArticleId : null;

    private static async Task BothLiveAsync(KnowledgeRuntime a, KnowledgeRuntime b, string modelId) =>
        await Eventually.WaitAsync(() => Task.FromResult<bool?>(a.Live.ModelId == modelId && b.Live.ModelId == modelId ? true : null), TimeSpan.FromSeconds(15));

    private static async Task LabelAsync(HttpClient admin, string text, string articleId) =>
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text, articleId })).StatusCode);

    private static async Task<JsonObject> TrainAsync(HttpClient admin, string? previousId)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/v1/nlu/training-runs", null)).StatusCode);
        return await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models?limit=1"))!.FirstOrDefault()?.AsObject() is { } m && m["id"]!.GetValue<string>() != previousId ? m : null,
            TimeSpan.FromSeconds(90));
    }
}
