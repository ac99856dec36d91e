using System.Data.Common;
using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Storage.Desk;

/// <summary>
/// A dialog's timer state (a column of the dialog) and its due timers (a table, so they survive restarts and move to a
/// surviving node).
/// </summary>
public sealed class DialogTimerStore(Database database)
{
    public static TimerState ReadState(StoredDialog row) =>
        row.TimerState is null ? TimerState.Initial : JsonSerializer.Deserialize<TimerState>(row.TimerState, HandoffStore.Json) ?? TimerState.Initial;

    public static async Task SaveAsync(DbConnection c, DbTransaction t, string dialogId, TimerOutcome outcome)
    {
        var batch = SqlBatch.For(c);
        AddSave(batch, dialogId, outcome);
        await batch.ExecuteAsync(c, t);
    }

    /// <summary>The timer state and the due timers, at most one row per timer kind.</summary>
    public static void AddSave(SqlBatch batch, string dialogId, TimerOutcome outcome)
    {
        batch.Add("UPDATE dialogs SET timer_state = @State WHERE id = @DialogId",
            new { State = JsonSerializer.Serialize(outcome.State, HandoffStore.Json), DialogId = dialogId });
        batch.Add("DELETE FROM dialog_timers WHERE dialog_id = @DialogId", new { DialogId = dialogId });
        foreach (var timer in outcome.Timers)
            batch.Add("INSERT INTO dialog_timers (dialog_id, kind, due_at) VALUES (@DialogId, @Kind, @DueAt)",
                new { DialogId = dialogId, Kind = timer.Kind.ToString(), DueAt = TimeExtensions.ToMicros(timer.DueAt) });
    }

    /// <summary>
    /// Up to <paramref name="limit"/> timers due at <paramref name="now"/>, earliest first. On PostgreSQL they are locked
    /// for the transaction and rows another node holds are skipped; SQLite's single writer already excludes others.
    /// </summary>
    public async Task<List<(string DialogId, string Kind)>> TakeDueAsync(DbConnection c, DbTransaction t, long now, int limit)
    {
        var skipLocked = database.Dialect == SqlDialect.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        return (await c.QueryAsync<(string DialogId, string Kind)>(
            $"SELECT dialog_id, kind FROM dialog_timers WHERE due_at <= @now ORDER BY due_at LIMIT {limit}" + skipLocked, new { now }, t)).AsList();
    }

    public static Task DeleteAsync(DbConnection c, DbTransaction t, string dialogId, string kind) =>
        c.ExecuteAsync("DELETE FROM dialog_timers WHERE dialog_id = @dialogId AND kind = @kind", new { dialogId, kind }, t);
}
