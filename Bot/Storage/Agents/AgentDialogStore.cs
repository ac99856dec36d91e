using BotEngine.Storage.Dialogs;
using Dapper;

namespace BotEngine.Storage.Agents;

/// <summary>What the agent path reads of a dialog outside a transaction: the row, its current conversation, its client's profile.</summary>
public sealed class AgentDialogStore(Database database)
{
    public Task<DialogRow?> FindAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => DialogReads.FindAsync(c, dialogId), cancellationToken);

    /// <summary>The conversation the dialog is in now (a client may have moved on to another one); null for an unknown dialog.</summary>
    public Task<string?> ConversationIdAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT conversation_id FROM dialogs WHERE id = @dialogId", new { dialogId }), cancellationToken);

    /// <summary>The client's profile (null for an unknown client).</summary>
    public Task<Clients.ClientRow?> ClientAsync(string clientId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Clients.ClientRow>("SELECT * FROM clients WHERE id = @clientId", new { clientId }), cancellationToken);
}
