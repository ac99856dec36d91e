using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Workplace;

/// <summary>The operator workplace's reads that no other page needs: list summaries and what is known of a dialog's client.</summary>
public sealed class WorkplaceStore(Database database)
{
    /// <summary>
    /// For each dialog: its client's name, the client's last text (what waits for an answer; else the last text other than
    /// system notices), who wrote last, and the client's message count.
    /// </summary>
    public async Task<Dictionary<string, DialogSummaryRow>> SummariesAsync(IReadOnlyCollection<string> dialogIds, CancellationToken cancellationToken)
    {
        if (dialogIds.Count == 0)
            return new Dictionary<string, DialogSummaryRow>(StringComparer.Ordinal);
        var ids = dialogIds.ToArray();
        var rows = await database.ReadAsync(c => c.QueryAsync<DialogSummaryRow>($"""
            SELECT d.id AS DialogId,
                   COALESCE({ProfileName}, cl.display_name, (SELECT MIN(a.display_name) FROM channel_accounts a WHERE a.client_id = d.client_id)) AS ClientName,
                   COALESCE(
                     (SELECT m.text FROM messages m WHERE m.dialog_id = d.id AND m.author = '{Authors.Client}' AND m.text IS NOT NULL AND m.text <> ''
                      ORDER BY m.created_at DESC, m.seq DESC LIMIT 1),
                     (SELECT m.text FROM messages m WHERE m.dialog_id = d.id AND m.author <> '{Authors.System}' AND m.text IS NOT NULL AND m.text <> ''
                      ORDER BY m.created_at DESC, m.seq DESC LIMIT 1)) AS LastText,
                   (SELECT m.author FROM messages m WHERE m.dialog_id = d.id AND m.author <> '{Authors.System}'
                    ORDER BY m.created_at DESC, m.seq DESC LIMIT 1) AS LastAuthor,
                   (SELECT COUNT(*) FROM messages m WHERE m.dialog_id = d.id AND m.author = '{Authors.Client}' AND m.activity_type = 'message') AS ClientMessages
            FROM dialogs d LEFT JOIN clients cl ON cl.id = d.client_id
            WHERE {database.InList("d.id", "ids")}
            """, new { ids }), cancellationToken);
        return rows.ToDictionary(r => r.DialogId, StringComparer.Ordinal);
    }

    /// <summary>The name an operator gave the profile ("first last"), NULL when neither is set.</summary>
    private const string ProfileName = "NULLIF(TRIM(COALESCE(cl.first_name, '') || ' ' || COALESCE(cl.last_name, '')), '')";

    /// <summary>The client's name as the engine knows it: the profile's first and last name, else the name of its first channel account.</summary>
    public Task<string?> ClientNameAsync(string clientId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            $"""
            SELECT COALESCE({ProfileName}, cl.display_name, (SELECT MIN(a.display_name) FROM channel_accounts a WHERE a.client_id = cl.id))
            FROM clients cl WHERE cl.id = @clientId
            """, new { clientId }), cancellationToken);

    public async Task<List<ClientChannelRow>> ChannelsAsync(string clientId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientChannelRow>(
            "SELECT channel, account_id, display_name FROM channel_accounts WHERE client_id = @clientId ORDER BY created_at",
            new { clientId }), cancellationToken)).AsList();

    /// <summary>The client's other dialogs, newest first, on any channel.</summary>
    public async Task<List<StoredDialog>> OtherDialogsAsync(string clientId, string exceptDialogId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<StoredDialog>(
            """
            SELECT id, client_id, conversation_id, channel, state, language, operator_id, line, call_centre, opened_at, queued_at,
                   assigned_at, accepted_at, closed_at, closed_by, close_topic, last_message_at, version
            FROM dialogs WHERE client_id = @clientId AND id <> @exceptDialogId ORDER BY opened_at DESC LIMIT @limit
            """, new { clientId, exceptDialogId, limit }), cancellationToken)).AsList();
}
