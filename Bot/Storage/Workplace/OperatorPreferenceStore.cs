using Dapper;

namespace BotEngine.Storage.Workplace;

/// <summary>Workplace settings an operator keeps across browsers and machines.</summary>
public sealed class OperatorPreferenceStore(Database database)
{
    public const string SendWithEnter = "enter";
    public const string SendWithCtrlEnter = "ctrl_enter";

    /// <summary>The key that sends the draft: <see cref="SendWithEnter"/> until the operator chooses otherwise.</summary>
    public async Task<string> SendKeyAsync(string operatorId, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            "SELECT send_key FROM operator_preferences WHERE operator_id = @operatorId", new { operatorId }), cancellationToken) ?? SendWithEnter;

    public Task SetSendKeyAsync(string operatorId, string sendKey, long nowMicros, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO operator_preferences (operator_id, send_key, updated_at) VALUES (@operatorId, @sendKey, @nowMicros)
            ON CONFLICT (operator_id) DO UPDATE SET send_key = excluded.send_key, updated_at = excluded.updated_at
            """, new { operatorId, sendKey, nowMicros }, t), cancellationToken);
}
