using Dapper;

namespace BotEngine.Storage.Learning;

/// <summary>
/// The model registry (<c>nlu_models</c>): every trained model with its metrics and the gate's decision, and the
/// serialised model when the classifier has a file format. At most one row is <c>promoted</c>: the live model.
/// </summary>
public sealed class ModelRegistryStore(Database database)
{
    private const string Columns = "id, created_at, trigger, kb_revision, kb_examples, labelled_examples, examples_through, metrics, status, reason, promoted_at";

    /// <summary>Stores a trained model; a promoted one replaces the live model (which becomes <c>previous</c>) in the same transaction.</summary>
    public Task AddAsync(StoredModel model, byte[]? content, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (model.Status == StoredModel.Promoted)
                await c.ExecuteAsync($"UPDATE nlu_models SET status = '{StoredModel.Previous}' WHERE status = '{StoredModel.Promoted}'", transaction: t);
            await c.ExecuteAsync($"""
                INSERT INTO nlu_models ({Columns}, model)
                VALUES (@Id, @CreatedAt, @Trigger, @KbRevision, @KbExamples, @LabelledExamples, @ExamplesThrough, @Metrics, @Status, @Reason, @PromotedAt, @content)
                """, new { model.Id, model.CreatedAt, model.Trigger, model.KbRevision, model.KbExamples, model.LabelledExamples, model.ExamplesThrough,
                    model.Metrics, model.Status, model.Reason, model.PromotedAt, content }, t);
        }, cancellationToken);

    /// <summary>Makes <paramref name="id"/> the live model (by hand: a promotion or a rollback); null when there is no such model.</summary>
    public Task<StoredModel?> PromoteAsync(string id, string reason, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nlu_models WHERE id = @id", new { id }, t) == 0)
                return null;
            await c.ExecuteAsync($"UPDATE nlu_models SET status = '{StoredModel.Previous}' WHERE status = '{StoredModel.Promoted}' AND id <> @id", new { id }, t);
            await c.ExecuteAsync($"UPDATE nlu_models SET status = '{StoredModel.Promoted}', reason = @reason, promoted_at = @now WHERE id = @id", new { id, reason, now }, t);
            return await c.QuerySingleAsync<StoredModel>($"SELECT {Columns} FROM nlu_models WHERE id = @id", new { id }, t);
        }, cancellationToken);

    public Task<StoredModel?> PromotedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<StoredModel>(
            $"SELECT {Columns} FROM nlu_models WHERE status = '{StoredModel.Promoted}' ORDER BY promoted_at DESC LIMIT 1"), cancellationToken);

    /// <summary>The live model's id (null: none promoted yet), for nodes checking whether another node promoted one.</summary>
    public Task<string?> PromotedIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            $"SELECT id FROM nlu_models WHERE status = '{StoredModel.Promoted}' ORDER BY promoted_at DESC LIMIT 1"), cancellationToken);

    public Task<StoredModel?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredModel>($"SELECT {Columns} FROM nlu_models WHERE id = @id", new { id }), cancellationToken);

    /// <summary>The newest models first.</summary>
    public async Task<List<StoredModel>> ListAsync(int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StoredModel>(
            $"SELECT {Columns} FROM nlu_models ORDER BY created_at DESC, id DESC LIMIT @limit", new { limit }), cancellationToken)).AsList();

    public Task<byte[]?> ContentAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<byte[]?>("SELECT model FROM nlu_models WHERE id = @id", new { id }), cancellationToken);
}
