namespace BotEngine.Handoff;

/// <summary>
/// Recent throughput the host reads from storage: assignments made in the last <paramref name="Window"/>
/// and the average handling time of recently closed dialogs.
/// </summary>
public sealed record WaitStats(int AssignmentsInWindow, TimeSpan Window, TimeSpan AverageHandlingTime);

/// <summary>What the client is told: 1-based place in line and an estimate (null when nobody can serve it now).</summary>
public sealed record QueuePlace(string DialogId, int Position, TimeSpan? EstimatedWait);

public static class WaitEstimator
{
    /// <summary>
    /// Positions count only the dialogs ahead that compete for the same operators (same call centre, language
    /// and line), so a client is not told about an unrelated queue. The estimate uses the recent assignment
    /// rate when there is one, else handling time spread over the capacity of matching operators.
    /// </summary>
    public static IReadOnlyList<QueuePlace> Estimate(
        IReadOnlyList<QueuedDialog> waiting, IReadOnlyList<OperatorSnapshot> operators, WaitStats stats, DateTimeOffset now)
    {
        var ordered = Router.Order(waiting, now);
        var ahead = new Dictionary<(string?, string?, string?), int>();
        var capacity = new Dictionary<(string?, string?, string?), int>();
        var result = new List<QueuePlace>(ordered.Count);
        var perSecond = stats.Window > TimeSpan.Zero ? stats.AssignmentsInWindow / stats.Window.TotalSeconds : 0;

        foreach (var d in ordered)
        {
            var r = d.Requirements.EffectiveAt(d.QueuedAt, now);
            var key = (r.CallCentre, r.Language, r.Line);
            var position = ahead.GetValueOrDefault(key) + 1;
            ahead[key] = position;

            if (!capacity.TryGetValue(key, out var cap))
            {
                cap = operators
                    .Where(o => o.Status is OperatorStatus.Online or OperatorStatus.Invisible && o.Routing.MatchesBase(r.CallCentre, r.Language, r.Line))
                    .Sum(o => o.Status == OperatorStatus.Online ? o.Routing.MaxConcurrentDialogs : 0);
                capacity[key] = cap;
            }

            TimeSpan? wait = null;
            if (cap > 0 && perSecond > 0)
            {
                wait = TimeSpan.FromSeconds(position / perSecond);
            }
            else if (cap > 0 && stats.AverageHandlingTime > TimeSpan.Zero)
            {
                wait = stats.AverageHandlingTime * Math.Ceiling(position / (double)cap);
            }

            result.Add(new QueuePlace(d.DialogId, position, wait));
        }

        return result;
    }

    /// <summary>
    /// Whether to send the client a refreshed notice: always the first time; later only after
    /// <paramref name="minInterval"/> and when the position or the estimate (by a minute or more) changed.
    /// </summary>
    public static bool ShouldNotify(QueuePlace current, QueuePlace? lastSent, DateTimeOffset? lastSentAt, DateTimeOffset now, TimeSpan minInterval)
    {
        if (lastSent is null || lastSentAt is null)
        {
            return true;
        }

        if (now - lastSentAt.Value < minInterval)
        {
            return false;
        }

        if (current.Position != lastSent.Position)
        {
            return true;
        }

        return (current.EstimatedWait, lastSent.EstimatedWait) switch
        {
            (null, null) => false,
            ({ } a, { } b) => (a - b).Duration() >= TimeSpan.FromMinutes(1),
            _ => true,
        };
    }
}
