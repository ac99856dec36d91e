namespace BotEngine.Handoff;

public static class WaitEstimator
{
    /// <summary>
    /// Positions count only the dialogs ahead that compete for the same operators (same call centre, language
    /// and line), so a client is not told about an unrelated queue. The estimate uses the recent assignment
    /// rate when there is one, else handling time spread over the capacity of matching operators; a dialog that
    /// an online operator's free slot will take waits for nothing.
    /// </summary>
    public static IReadOnlyList<QueuePlace> Estimate(
        IReadOnlyList<QueuedDialog> waiting, IReadOnlyList<OperatorSnapshot> operators, WaitStats stats, DateTimeOffset now)
    {
        var ordered = Router.Order(waiting, now);
        var ahead = new Dictionary<(string?, string?, string?), int>();
        var capacity = new Dictionary<(string?, string?, string?), (int Total, int Free)>();
        var result = new List<QueuePlace>(ordered.Count);
        var perSecond = stats.Window > TimeSpan.Zero ? stats.AssignmentsInWindow / stats.Window.TotalSeconds : 0;

        foreach (var d in ordered)
        {
            var r = d.Requirements.EffectiveAt(d.QueuedAt, now);
            var key = (r.CallCentre, r.Language, r.Line);
            var position = ahead.GetValueOrDefault(key) + 1;
            ahead[key] = position;

            if (!capacity.TryGetValue(key, out var slots))
            {
                var serving = operators
                    .Where(o => o.Status == OperatorStatus.Online && o.Routing.MatchesBase(r.CallCentre, r.Language, r.Line))
                    .ToList();
                slots = (serving.Sum(o => o.Routing.MaxConcurrentDialogs), serving.Sum(o => o.FreeSlots));
                capacity[key] = slots;
            }

            // The dialogs that free slots take at once wait for nothing; only those behind them wait for slots to free up.
            var behindFreeSlots = position - slots.Free;
            TimeSpan? wait = null;
            if (slots.Total > 0 && behindFreeSlots <= 0)
            {
                wait = TimeSpan.Zero;
            }
            else if (slots.Total > 0)
            {
                // A quiet hour's assignment rate measures the clients, not the operators: it only ever overstates the
                // wait, so with a handling time known the shorter of the two estimates is said.
                TimeSpan? byRate = perSecond > 0 ? TimeSpan.FromSeconds(behindFreeSlots / perSecond) : null;
                TimeSpan? byHandling = stats.AverageHandlingTime > TimeSpan.Zero
                    ? stats.AverageHandlingTime * Math.Ceiling(behindFreeSlots / (double)slots.Total)
                    : null;
                wait = byRate is { } a && byHandling is { } b ? (a < b ? a : b) : byRate ?? byHandling;
            }

            result.Add(new QueuePlace(d.DialogId, position, wait));
        }

        return result;
    }

    /// <summary>
    /// Whether to send the client a refreshed notice: always the first time; later only after
    /// <paramref name="minInterval"/> and when the position or the estimate (by a minute or more) changed, unless a
    /// free slot is about to take the dialog.
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

        // A free slot is about to take the dialog: the next thing the client hears is the operator.
        if (current.EstimatedWait == TimeSpan.Zero)
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
