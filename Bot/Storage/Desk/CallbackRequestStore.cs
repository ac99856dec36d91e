using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>Reads the clients' callback requests for operators (the bot stores them when a client asks).</summary>
public sealed class CallbackRequestStore(Database database)
{
    /// <summary>The newest 500 requests, of one state when given.</summary>
    public async Task<List<CallbackRequestRow>> ListAsync(string? state, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CallbackRequestRow>("""
            SELECT id, dialog_id, client_id, line, contacts, state, created_at FROM callback_requests
            WHERE (@state IS NULL OR state = @state) ORDER BY created_at DESC LIMIT 500
            """, new { state }), cancellationToken)).AsList();
}
