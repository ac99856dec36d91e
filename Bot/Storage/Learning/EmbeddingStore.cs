using BotEngine.Nlu.Encoders;
using Dapper;

namespace BotEngine.Storage.Learning;

/// <summary>
/// The <c>text_embeddings</c> table: sentence-encoder vectors by encoder and text key, written once per text and read
/// whole when an engine first uses the encoder. A row that does not decode (a damaged blob) is skipped: a cache miss.
/// </summary>
public sealed class EmbeddingStore(Database database) : IEmbeddingStore
{
    // Rows per write: the SQLite writer commits conversations' writes between two such units.
    private const int RowsPerWrite = 256;

    private const string Insert = """
        INSERT INTO text_embeddings (encoder, text_key, vector) VALUES (@Encoder, @TextKey, @Vector)
        ON CONFLICT (encoder, text_key) DO NOTHING
        """;

    public Task<IReadOnlyList<StoredEmbedding>> LoadAsync(string encoderName, int dimension, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderName);
        return database.ReadAsync<IReadOnlyList<StoredEmbedding>>(async c =>
        {
            // Read row by row: tens of thousands of vectors would otherwise sit in memory twice, as blobs and as floats.
            var loaded = new List<StoredEmbedding>();
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(
                "SELECT text_key, vector FROM text_embeddings WHERE encoder = @encoderName", new { encoderName }, cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetValue(0) is byte[] key && reader.GetValue(1) is byte[] vector
                    && StoredEmbedding.TryRead(key, vector, dimension, out var embedding))
                    loaded.Add(embedding);
            }
            return loaded;
        }, cancellationToken);
    }

    public async Task SaveAsync(string encoderName, IReadOnlyList<StoredEmbedding> embeddings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderName);
        ArgumentNullException.ThrowIfNull(embeddings);
        // In key order: two PostgreSQL nodes writing the same texts then wait for each other in one order, never in a cycle.
        var rows = embeddings.Where(e => e.Vector is { Length: > 0 }).OrderBy(e => e.Key)
            .Select(e => new { Encoder = encoderName, TextKey = e.KeyBytes(), Vector = e.VectorBytes() }).ToList();
        foreach (var chunk in rows.Chunk(RowsPerWrite))
        {
            await database.WriteAsync(async (c, t) =>
            {
                var batch = SqlBatch.For(c);
                foreach (var row in chunk)
                    batch.Add(Insert, row);
                await batch.ExecuteAsync(c, t, cancellationToken);
            }, cancellationToken);
        }
    }
}
