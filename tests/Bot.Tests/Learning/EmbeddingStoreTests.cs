using BotEngine.Nlu.Encoders;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotEngine.Bot.Tests.Learning;

/// <summary>The embeddings' table: what is saved loads back bit for bit, per encoder, once per text, and a damaged row is a miss.</summary>
public sealed class EmbeddingStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static StoredEmbedding Embedding(string text, int dimension, float seed)
    {
        var vector = new float[dimension];
        for (int i = 0; i < dimension; i++)
            vector[i] = MathF.Sin(seed + i) / (i + 1);
        return new StoredEmbedding(EmbeddingCache.KeyOf(text), vector);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Saved_vectors_load_back_per_encoder_once_per_text_and_damaged_rows_are_skipped(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(None);
            var store = new EmbeddingStore(database);
            Assert.Empty(await store.LoadAsync("minilm", 384, None));

            // more rows than one write holds, so the chunks meet
            var texts = Enumerable.Range(0, 300).Select(i => $"phrasing number {i}").ToList();
            var saved = texts.Select((t, i) => Embedding(t, 384, i)).ToList();
            await store.SaveAsync("minilm", saved, None);
            await store.SaveAsync("arctic", [Embedding(texts[0], 384, -1)], None);
            // saving a text again keeps the first row (the same text has the same vector)
            await store.SaveAsync("minilm", [Embedding(texts[1], 384, 1000), Embedding("one more", 384, 7)], None);
            await store.SaveAsync("minilm", [], None);

            var loaded = (await store.LoadAsync("minilm", 384, None)).ToDictionary(e => e.Key);
            Assert.Equal(301, loaded.Count);
            foreach (var e in saved)
                Assert.Equal(e.Vector, loaded[e.Key].Vector);
            Assert.Equal(Embedding("one more", 384, 7).Vector, loaded[EmbeddingCache.KeyOf("one more")].Vector);
            var arctic = Assert.Single(await store.LoadAsync("arctic", 384, None));
            Assert.Equal(Embedding(texts[0], 384, -1).Vector, arctic.Vector);
            Assert.Empty(await store.LoadAsync("e5", 384, None));
            // a reader expecting another length finds nothing it can use
            Assert.Empty(await store.LoadAsync("minilm", 768, None));

            // rows a bug or a disk could leave: a short vector, a short key, a NaN, text in a blob column
            var nan = Embedding("nan", 384, 3).VectorBytes();
            BitConverter.TryWriteBytes(nan.AsSpan(8), float.NaN);
            await database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("INSERT INTO text_embeddings (encoder, text_key, vector) VALUES (@encoder, @key, @vector)", new[]
                {
                    new { encoder = "minilm", key = Embedding("short", 384, 0).KeyBytes(), vector = Embedding("short", 384, 0).VectorBytes()[..100] },
                    new { encoder = "minilm", key = new byte[] { 1, 2, 3 }, vector = Embedding("x", 384, 0).VectorBytes() },
                    new { encoder = "minilm", key = Embedding("nan", 384, 3).KeyBytes(), vector = nan },
                }, t);
                if (database.Dialect == SqlDialect.Sqlite)
                    await c.ExecuteAsync("INSERT INTO text_embeddings (encoder, text_key, vector) VALUES ('minilm', 'not a blob', 'nor this')", transaction: t);
            }, None);
            Assert.Equal(301, (await store.LoadAsync("minilm", 384, None)).Count);
        });
    }
}
