using BotEngine.Storage.Statistics;

namespace BotEngine.Engine.Statistics;

/// <summary>
/// Operators' time in each status over a period, and their time holding at least one dialog (overlapping dialogs
/// counted once), from the status log and the dialogs' assignment events. Times are clipped to the period.
/// </summary>
public static class StatusTimes
{
    /// <summary>Seconds per operator: by status name, and with at least one dialog.</summary>
    public static Dictionary<string, OperatorStatusTimes> Compute(IReadOnlyList<StatusChangeRow> changes, IReadOnlyList<HoldEventRow> holds, long from, long to)
    {
        var result = new Dictionary<string, OperatorStatusTimes>(StringComparer.Ordinal);
        OperatorStatusTimes Of(string id) => result.TryGetValue(id, out var t) ? t : result[id] = new OperatorStatusTimes();
        foreach (var op in changes.GroupBy(c => c.OperatorId, StringComparer.Ordinal))
        {
            var ordered = op.OrderBy(c => c.At).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var start = Math.Max(from, ordered[i].At);
                var end = i + 1 < ordered.Count ? Math.Min(to, ordered[i + 1].At) : to;
                if (end > start)
                    Of(op.Key).AddStatus(ordered[i].Status, end - start);
            }
        }
        var intervals = new Dictionary<string, List<(long Start, long End)>>(StringComparer.Ordinal);
        foreach (var dialog in holds.GroupBy(h => h.DialogId, StringComparer.Ordinal))
        {
            string? holder = null;
            long since = 0;
            foreach (var e in dialog.OrderBy(h => h.At))
            {
                if (holder is not null && e.At > since)
                    Add(intervals, holder, since, e.At);
                (holder, since) = e.Kind == "assigned" && e.OperatorId is not null ? (e.OperatorId, e.At) : (null, 0);
            }
            if (holder is not null)
                Add(intervals, holder, since, to);
        }
        foreach (var (operatorId, list) in intervals)
            Of(operatorId).WithDialogsMicros = Union(list, from, to);
        return result;
    }

    private static void Add(Dictionary<string, List<(long, long)>> intervals, string operatorId, long start, long end)
    {
        if (!intervals.TryGetValue(operatorId, out var list))
            intervals[operatorId] = list = [];
        list.Add((start, end));
    }

    /// <summary>The length of the union of the intervals within [from, to).</summary>
    private static long Union(List<(long Start, long End)> intervals, long from, long to)
    {
        long total = 0, coveredTo = from;
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            var s = Math.Max(start, coveredTo);
            var e = Math.Min(end, to);
            if (e > s)
            {
                total += e - s;
                coveredTo = e;
            }
        }
        return total;
    }
}
