using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>What the supervisor's overview reads besides the queue: the dialogs with the bot and the recent processing errors.</summary>
public static class MonitoringStore
{
    public static async Task<int> BotDialogCountAsync(DbConnection c) =>
        (int)await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM dialogs WHERE state = '{DialogStates.Bot}'");

    /// <summary>The dialogs with the bot, longest first, at most <paramref name="limit"/>.</summary>
    public static async Task<List<BotDialogView>> BotDialogsAsync(DbConnection c, int limit) =>
        (await c.QueryAsync<(string Id, string ClientId, long OpenedAt)>(
                $"SELECT id, client_id, opened_at FROM dialogs WHERE state = '{DialogStates.Bot}' ORDER BY opened_at LIMIT {limit}"))
            .Select(d => new BotDialogView(d.Id, d.ClientId, TimeExtensions.FromMicros(d.OpenedAt))).ToList();

    /// <summary>
    /// Every dialog with the bot, longest first, with its call centre, language and line, for a supervisor who watches
    /// only some of them (the overview's scope is applied by the caller).
    /// </summary>
    public static async Task<List<(BotDialogView View, string? CallCentre, string Language, string? Line)>> BotDialogsWithPlaceAsync(DbConnection c) =>
        (await c.QueryAsync<(string Id, string ClientId, long OpenedAt, string? CallCentre, string Language, string? Line)>(
                $"SELECT id, client_id, opened_at, call_centre, language, line FROM dialogs WHERE state = '{DialogStates.Bot}' ORDER BY opened_at"))
            .Select(d => (new BotDialogView(d.Id, d.ClientId, TimeExtensions.FromMicros(d.OpenedAt)), d.CallCentre, d.Language, d.Line)).ToList();

    /// <summary>The client's name (the profile's first and last name, else its name, else its first channel account's), channel and assignment time of the dialogs monitoring lists.</summary>
    public static async Task<Dictionary<string, MonitoredDialogRow>> DialogsAsync(DbConnection c, Database database, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
            return new Dictionary<string, MonitoredDialogRow>(StringComparer.Ordinal);
        var rows = await c.QueryAsync<MonitoredDialogRow>($"""
            SELECT d.id, d.channel,
                   COALESCE(NULLIF(TRIM(COALESCE(cl.first_name, '') || ' ' || COALESCE(cl.last_name, '')), ''), cl.display_name,
                            (SELECT MIN(a.display_name) FROM channel_accounts a WHERE a.client_id = d.client_id)) AS client_name,
                   d.assigned_at, CASE WHEN d.state = '{DialogStates.Bot}' THEN d.bot_state END AS bot_state
            FROM dialogs d LEFT JOIN clients cl ON cl.id = d.client_id
            WHERE {database.InList("d.id", "ids")}
            """, new { ids = ids.ToArray() });
        return rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>Records that a supervisor moved a waiting dialog to an operator by hand (the assignment itself is the dialog's <c>assigned</c> event).</summary>
    public static Task RecordMoveAsync(DbConnection c, DbTransaction t, string dialogId, string supervisorId, string operatorId, long at) =>
        c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, operator_id, at, data) VALUES (@dialogId, 'moved', @supervisorId, @at, @data)",
            new { dialogId, supervisorId, at, data = System.Text.Json.JsonSerializer.Serialize(new { supervisorId, operatorId }) }, t);

    /// <summary>The last 100 failures: deliveries that failed and turns given up.</summary>
    public static async Task<List<ProcessingErrorView>> RecentErrorsAsync(DbConnection c) =>
        (await c.QueryAsync<ProcessingErrorRow>("""
            SELECT 'delivery' AS kind, conversation_id AS subject, COALESCE(last_error, '') AS message, failed_at AS at FROM outbox WHERE failed_at IS NOT NULL
            UNION ALL
            SELECT kind, subject, message, at FROM processing_errors
            UNION ALL
            SELECT 'agent' AS kind, dialog_id AS subject, agent_id || ': ' || COALESCE(last_error, '') AS message, finished_at AS at
            FROM agent_calls WHERE outcome = 'failed'
            ORDER BY at DESC LIMIT 100
            """)).Select(e => new ProcessingErrorView(TimeExtensions.FromMicros(e.At), e.Kind, e.Subject, e.Message)).ToList();

    private sealed class ProcessingErrorRow
    {
        public string Kind { get; set; } = "";
        public string? Subject { get; set; }
        public string Message { get; set; } = "";
        public long At { get; set; }
    }
}
