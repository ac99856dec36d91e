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
