using BotEngine.Storage.Dialogs;
using Dapper;

namespace BotEngine.Storage.Agents;

/// <summary>What the agent path reads of a dialog outside a transaction: the row, its current conversation, its client's name.</summary>
public sealed class AgentDialogStore(Database database)
{
    public Task<DialogRow?> FindAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => DialogReads.FindAsync(c, dialogId), cancellationToken);

    /// <summary>The conversation the dialog is in now (a client may have moved on to another one); null for an unknown dialog.</summary>
    public Task<string?> ConversationIdAsync(string dialogId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT conversation_id FROM dialogs WHERE id = @dialogId", new { dialogId }), cancellationToken);

    public Task<string?> ClientNameAsync(string clientId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT display_name FROM clients WHERE id = @clientId", new { clientId }), cancellationToken);
}
