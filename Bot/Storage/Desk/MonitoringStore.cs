using System.Data.Common;
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
