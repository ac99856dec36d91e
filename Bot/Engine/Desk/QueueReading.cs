using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>
/// What the routing core's wait estimate (<see cref="WaitEstimator"/>) and the supervisor's overview read from
/// storage: the waiting dialogs, the operators who are working and how many dialogs each holds, and the last
/// hour's throughput.
/// </summary>
public static class QueueReading
{
    /// <summary>The span the assignment rate and the average handling time are measured over.</summary>
    public static readonly TimeSpan StatsWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// The waiting dialogs, with what routing and a notice need (not the bot's memory, the largest column: this runs in
    /// every turn that queues a dialog).
    /// </summary>
    public static Task<List<StoredDialog>> QueuedAsync(DbConnection c, DbTransaction? t) => QueueStore.QueuedAsync(c, t);

    public static QueuedDialog? ToQueued(StoredDialog row) => HandoffStore.ToDialog(row).ToQueued();

    /// <summary>Operators who are not offline, or who still hold dialogs, with the dialogs they hold.</summary>
    public static async Task<(List<OperatorRow> Rows, List<OperatorSnapshot> Snapshots, Dictionary<string, IReadOnlyList<string>> Held)> OperatorsAsync(
        DbConnection c, DbTransaction? t)
    {
        var held = (await QueueStore.HeldAsync(c, t))
            .GroupBy(x => x.OperatorId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Id).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var rows = (await OperatorStore.ListAsync(c, t))
            .Where(o => HandoffStore.Status(o) != OperatorStatus.Offline || held.ContainsKey(o.Id))
            .ToList();
        var snapshots = rows.Select(o => new OperatorSnapshot(o.Id, HandoffStore.Status(o), HandoffStore.Routing(o),
            held.GetValueOrDefault(o.Id)?.Count ?? 0, TimeExtensions.FromMicros(o.IdleSince ?? o.StatusChangedAt))).ToList();
        return (rows, snapshots, held);
    }

    /// <summary>
    /// The operators whose capacity the estimate counts (online, and invisible ones, who keep their dialogs), with the
    /// dialogs each holds, in one round trip.
    /// </summary>
    public static Task<List<OperatorSnapshot>> WorkingOperatorsAsync(DbConnection c, DbTransaction? t) => QueueStore.WorkingOperatorsAsync(c, t);

    /// <summary>Assignments in the last hour, and the average time from assignment to close of dialogs closed in it.</summary>
    public static async Task<WaitStats> StatsAsync(DbConnection c, DbTransaction? t, DateTimeOffset now)
    {
        var (assigned, handlingMicros) = await QueueStore.ThroughputAsync(c, t, TimeExtensions.ToMicros(now - StatsWindow));
        var handling = handlingMicros is > 0 ? TimeSpan.FromMicroseconds(handlingMicros.Value) : TimeSpan.Zero;
        return new WaitStats((int)Math.Min(assigned, int.MaxValue), StatsWindow, handling);
    }
}
