using Dapper;

namespace BotEngine.Storage.Workplace;

/// <summary>The topic an operator chose while the dialog runs, kept on the server so another tab, a reload or a colleague after a transfer sees it.</summary>
public sealed class DialogTopicStore(Database database)
{
    public Task SetAsync(string dialogId, string topic, string operatorId, long nowMicros, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO dialog_topics (dialog_id, topic, set_by, set_at) VALUES (@dialogId, @topic, @operatorId, @nowMicros)
            ON CONFLICT (dialog_id) DO UPDATE SET topic = excluded.topic, set_by = excluded.set_by, set_at = excluded.set_at
            """, new { dialogId, topic, operatorId, nowMicros }, t), cancellationToken);

    public Task ClearAsync(string dialogId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM dialog_topics WHERE dialog_id = @dialogId", new { dialogId }, t), cancellationToken);

    public Task<string?> FindAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT topic FROM dialog_topics WHERE dialog_id = @dialogId", new { dialogId }), cancellationToken);
}
