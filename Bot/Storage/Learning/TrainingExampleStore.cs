using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Learning;

/// <summary>The <c>training_examples</c> table: what the classifier learns besides the KB's own phrasings.</summary>
public sealed class TrainingExampleStore(Database database)
{
    private sealed record ClientText(string Id, string Text, string Language);

    private const string Columns = "id, text, language, article_id, source, weight, created_by, created_at, message_id";
    private const string ReadColumns = Columns + ", held_out";

    /// <summary>Every example created up to <paramref name="through"/> (inclusive), oldest first.</summary>
    public async Task<List<TrainingExampleRow>> UpToAsync(long through, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<TrainingExampleRow>(
            $"SELECT {ReadColumns} FROM training_examples WHERE created_at <= @through ORDER BY created_at, id", new { through }), cancellationToken)).AsList();

    /// <summary>Manual labels (text and article, null for "not an intent"), oldest first: the exact-match overlay of the live bot.</summary>
    public async Task<List<TrainingExampleRow>> ManualLabelsAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<TrainingExampleRow>(
            $"SELECT {ReadColumns} FROM training_examples WHERE source = '{TrainingSources.ManualLabel}' ORDER BY created_at, id"), cancellationToken)).AsList();

    /// <summary>How many examples there are and the newest one's time: changes whenever one is added or deleted.</summary>
    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var (count, newest) = await c.QuerySingleAsync<(long, long?)>("SELECT COUNT(*), MAX(created_at) FROM training_examples");
            return $"{count}:{newest ?? 0}";
        }, cancellationToken);

    /// <summary>A page of examples, newest first, and how many there are.</summary>
    public Task<(List<TrainingExampleRow> Page, long Total)> PageAsync(int offset, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var page = (await c.QueryAsync<TrainingExampleRow>(
                $"SELECT {ReadColumns} FROM training_examples ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", new { limit, offset })).AsList();
            return (page, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM training_examples"));
        }, cancellationToken);

    /// <summary>
    /// Stores the evaluation set's decisions for labels still undecided; a label another node decided meanwhile keeps
    /// that decision, so it never changes once made.
    /// </summary>
    public Task DecideHeldOutAsync(IReadOnlyList<(string Id, bool HeldOut)> decisions, CancellationToken cancellationToken) =>
        decisions.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync(async (c, t) => await c.ExecuteAsync("UPDATE training_examples SET held_out = @heldOut WHERE id = @id AND held_out IS NULL",
                decisions.Select(d => new { id = d.Id, heldOut = d.HeldOut ? 1 : 0 }), t), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("DELETE FROM training_examples WHERE id = @id", new { id }, t) > 0, cancellationToken);

    /// <summary>Stores examples typed by an editor (not taken from a message), in one transaction.</summary>
    public Task AddAsync(IReadOnlyList<TrainingExampleRow> rows, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await InsertAsync(c, t, rows), cancellationToken);

    /// <summary>Inserts examples in the caller's transaction.</summary>
    public static Task InsertAsync(DbConnection c, DbTransaction t, IReadOnlyList<TrainingExampleRow> rows) =>
        c.ExecuteAsync($"""
            INSERT INTO training_examples ({Columns})
            VALUES (@Id, @Text, @Language, @ArticleId, @Source, @Weight, @CreatedBy, @CreatedAt, @MessageId)
            """, rows, t);

    /// <summary>
    /// An operator sent <paramref name="articleId"/> in reply: the client's last text message in the dialog becomes an
    /// example of that article, in the reply's transaction. False when the client has written no text yet.
    /// </summary>
    public static async Task<bool> AddOperatorChoiceAsync(DbConnection c, DbTransaction t, string dialogId, string articleId, string operatorId, double weight, long now)
    {
        var message = await c.QueryFirstOrDefaultAsync<ClientText>("""
            SELECT m.id, m.text, d.language FROM messages m JOIN dialogs d ON d.id = m.dialog_id
            WHERE m.dialog_id = @dialogId AND m.direction = 'in' AND m.author = 'client' AND m.text IS NOT NULL AND m.text <> ''
            ORDER BY m.created_at DESC, m.seq DESC LIMIT 1
            """, new { dialogId }, t);
        if (message is null)
            return false;
        await InsertAsync(c, t, [new TrainingExampleRow
        {
            Id = Ids.New(), Text = message.Text, Language = message.Language, ArticleId = articleId, Source = TrainingSources.OperatorChoice,
            Weight = weight, CreatedBy = operatorId, CreatedAt = now, MessageId = message.Id,
        }]);
        return true;
    }
}
