using System.Net;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Learning;

/// <summary>
/// The embeddings an engine computes outlive it: with MiniLM for the classifier and the search, one cache serves both
/// (every text embedded once), and an engine started again on the same database embeds nothing it embedded before,
/// then only the phrasing an edit adds. Each engine gets caches of its own, as a new process would.
/// </summary>
public sealed class StoredEmbeddingsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly (string Id, string Title, string[] Questions)[] Articles =
    [
        ("hours", "Opening hours", ["When are you open?", "What are your opening hours?", "Are you open on Sunday?", "What time do you close today?"]),
        ("card_lost", "Lost card", ["I lost my card", "My card was stolen", "How do I block my card?", "Someone took my bank card"]),
        ("delivery", "Delivery status", ["Where is my parcel?", "My order has not arrived", "How long does shipping take?", "Track my delivery"]),
        ("refund", "Refunds", ["I want my money back", "How do I get a refund?", "Return an item for a refund", "Cancel my order and refund me"]),
    ];

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task After_a_restart_a_training_embeds_only_what_was_never_embedded(StorageKind storage)
    {
        var dir = TestDatabases.NewTempDir();
        Func<Task> drop = () => Task.CompletedTask;
        try
        {
            var seed = Path.Combine(dir, "english-kb.json");
            await File.WriteAllTextAsync(seed, new JsonObject
            {
                ["articles"] = new JsonArray(Articles.Select(a => (JsonNode)new JsonObject
                {
                    ["id"] = a.Id, ["title"] = a.Title, ["questions"] = new JsonArray(a.Questions.Select(q => (JsonNode)q!).ToArray()),
                    ["answers"] = new JsonArray(new JsonObject { ["text"] = $"About {a.Title.ToLowerInvariant()}." }),
                }).ToArray()),
            }.ToJsonString());
            string[] args = ["--Nlu:Encoder=minilm", "--Knowledge:SearchEncoder=minilm", "--Knowledge:SeedFile=" + seed];
            string? postgres = null;
            if (storage == StorageKind.Postgres)
                (postgres, drop) = await TestDatabases.CreatePostgresAsync();
            Task<EngineHost> StartAsync(EmbeddingCaches caches) => postgres is null
                ? EngineHost.StartAsync(StorageKind.Sqlite, b => b.Services.AddSingleton(caches), ["--data-dir", dir, .. args], keepData: true)
                : EngineHost.StartOnPostgresAsync(postgres, b => b.Services.AddSingleton(caches), args);
            var texts = Articles.SelectMany(a => a.Questions.Append(a.Title)).ToHashSet(StringComparer.Ordinal);

            var first = new EmbeddingCaches();
            await using (var engine = await StartAsync(first))
            {
                await SearchEmbeddedAsync(engine);
                var cache = first.For(SentenceEncoders.MiniLm);
                // the classifier embedded the phrasings at start, the search only the titles: one cache for both
                Assert.Equal(texts.Count, cache.EmbeddedCount);
                Assert.Equal(texts.Order(StringComparer.Ordinal), texts.Where(t => cache.EmbeddedSince(0).Any(e => e.Key == EmbeddingCache.KeyOf(t))).Order(StringComparer.Ordinal));
                await Eventually.WaitAsync(async () => await StoredCountAsync(engine) == texts.Count ? true : null, Patience);
            }

            var second = new EmbeddingCaches();
            await using (var engine = await StartAsync(second))
            {
                var cache = second.For(SentenceEncoders.MiniLm);
                // no promoted model yet, so the start trained again: on stored vectors alone
                Assert.Equal(0, cache.EmbeddedCount);
                Assert.Equal(texts.Count, cache.Count);
                await SearchEmbeddedAsync(engine);
                Assert.Equal(0, cache.EmbeddedCount);

                using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
                const string added = "Do you open on public holidays?";
                var saved = await KbApiTests.PutJsonAsync(api, "/api/v1/kb/articles/hours", new JsonObject
                {
                    ["title"] = "Opening hours", ["questions"] = new JsonArray(Articles[0].Questions.Append(added).Select(q => (JsonNode)q!).ToArray()),
                    ["answers"] = new JsonArray(new JsonObject { ["text"] = "About opening hours." }),
                }.ToJsonString());
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
                var knowledge = engine.Services.GetRequiredService<KnowledgeRuntime>();
                await Eventually.WaitAsync(() => Task.FromResult<bool?>(knowledge.Status is var s && s.ClassifierRevision == s.Revision), Patience);
                await SearchEmbeddedAsync(engine);
                Assert.Equal([EmbeddingCache.KeyOf(added)], cache.EmbeddedSince(0).Select(e => e.Key));
                await Eventually.WaitAsync(async () => await StoredCountAsync(engine) == texts.Count + 1 ? true : null, Patience);
            }
        }
        finally
        {
            await drop();
            TestDatabases.TryDelete(dir);
        }
    }

    private static Task SearchEmbeddedAsync(EngineHost engine)
    {
        var semantic = engine.Services.GetRequiredService<KbSearchIndex>().Semantic!;
        return Eventually.WaitAsync(() => Task.FromResult<bool?>(semantic.PendingCount == 0 && semantic.Count == Articles.Length), Patience);
    }

    private static Task<long> StoredCountAsync(EngineHost engine) =>
        engine.Services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM text_embeddings WHERE encoder = 'minilm'"), CancellationToken.None);
}
