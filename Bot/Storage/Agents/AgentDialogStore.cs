using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Storage.Dialogs;
using Dapper;

namespace BotEngine.Storage.Agents;

/// <summary>What the agent path reads of a dialog outside a transaction: the row, its current conversation, its client's contact data.</summary>
public sealed class AgentDialogStore(Database database)
{
    public Task<StoredDialog?> FindAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => DialogReads.FindAsync(c, dialogId), cancellationToken);

    /// <summary>The conversation the dialog is in now (a client may have moved on to another one); null for an unknown dialog.</summary>
    public Task<string?> ConversationIdAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT conversation_id FROM dialogs WHERE id = @dialogId", new { dialogId }), cancellationToken);

    /// <summary>The client's name and contact data from their profile, as the agent contract passes them on.</summary>
    public Task<AgentClientContact?> ClientContactAsync(string clientId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<AgentClientContact>(ContactSql, new { clientId }), cancellationToken);

    /// <summary>The same, in the caller's transaction (an event stored with the operator's or timer's change).</summary>
    public static Task<AgentClientContact?> ClientContactAsync(DbConnection c, DbTransaction t, string clientId) =>
        c.QuerySingleOrDefaultAsync<AgentClientContact>(ContactSql, new { clientId }, t);

    private const string ContactSql = """
        SELECT COALESCE(NULLIF(TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')), ''), display_name) AS Name, phone AS Phone, email AS Email
        FROM clients WHERE id = @clientId
        """;
}
