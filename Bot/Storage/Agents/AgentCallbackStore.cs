using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Agents;

/// <summary>The asynchronous callbacks of agents already applied (<c>agent_callbacks</c>), so a repeated callback id is applied once.</summary>
public sealed class AgentCallbackStore(Database database)
{
    public Task<bool> WasAppliedAsync(string agentId, string callbackId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM agent_callbacks WHERE agent_id = @agentId AND callback_id = @callbackId", new { agentId, callbackId }) > 0, cancellationToken);

    /// <summary>Records the callback applied, in the transaction that applies it.</summary>
    public static Task RecordAsync(DbConnection c, DbTransaction t, string agentId, string callbackId, string dialogId, long now) =>
        c.ExecuteAsync("""
            INSERT INTO agent_callbacks (agent_id, callback_id, dialog_id, at) VALUES (@agentId, @callbackId, @dialogId, @now)
            ON CONFLICT (agent_id, callback_id) DO NOTHING
            """, new { agentId, callbackId, dialogId, now }, t);
}
