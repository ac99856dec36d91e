using Dapper;

namespace BotEngine.Storage.Templates;

/// <summary>Answer templates: an operator's own and the shared ones.</summary>
public sealed class AnswerTemplateStore(Database database)
{
    /// <summary>The shared templates and <paramref name="operatorId"/>'s own, shared first, then by title.</summary>
    public async Task<List<AnswerTemplateRow>> ListAsync(string operatorId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<AnswerTemplateRow>(
            """
            SELECT * FROM answer_templates WHERE owner_id IS NULL OR owner_id = @operatorId
            ORDER BY CASE WHEN owner_id IS NULL THEN 0 ELSE 1 END, title, id
            """, new { operatorId }), cancellationToken)).AsList();

    public Task<AnswerTemplateRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<AnswerTemplateRow>("SELECT * FROM answer_templates WHERE id = @id", new { id }), cancellationToken);

    public Task InsertAsync(AnswerTemplateRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO answer_templates (id, owner_id, title, text, shortcut, hotkey, created_by, created_at, updated_at)
            VALUES (@Id, @OwnerId, @Title, @Text, @Shortcut, @Hotkey, @CreatedBy, @CreatedAt, @UpdatedAt)
            """, row, t), cancellationToken);

    /// <summary>Changes title, text, shortcut, hotkey and owner; false when the template is gone.</summary>
    public async Task<bool> UpdateAsync(AnswerTemplateRow row, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE answer_templates SET owner_id = @OwnerId, title = @Title, text = @Text, shortcut = @Shortcut, hotkey = @Hotkey,
                   updated_at = @UpdatedAt
            WHERE id = @Id
            """, row, t), cancellationToken) > 0;

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM answer_templates WHERE id = @id", new { id }, t), cancellationToken) > 0;
}
