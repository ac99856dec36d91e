namespace BotEngine.Handoff;

/// <summary>Builds the supervisor's overview from the rows the host reads; no storage here.</summary>
public static class Monitoring
{
    /// <param name="dialogsByOperator">Dialog ids each operator holds (assigned or active).</param>
    /// <param name="dialogsWithBot">How many open dialogs the bot holds.</param>
    /// <param name="botDialogs">Those the host lists of them (the longest with the bot first, as many as it reads).</param>
    public static MonitoringOverview Build(
        IReadOnlyList<QueuedDialog> queue,
        IReadOnlyList<OperatorSnapshot> operators,
        IReadOnlyDictionary<string, IReadOnlyList<string>> dialogsByOperator,
        int dialogsWithBot,
        IReadOnlyList<BotDialogView> botDialogs,
        IReadOnlyList<ProcessingErrorView> errors,
        WaitStats stats,
        DateTimeOffset now)
    {
        var places = WaitEstimator.Estimate(queue, operators, stats, now).ToDictionary(p => p.DialogId);
        var waiting = Router.Order(queue, now)
            .Select(d =>
            {
                var r = d.Requirements.EffectiveAt(d.QueuedAt, now);
                var place = places[d.DialogId];
                return new WaitingDialogView(d.DialogId, d.ClientId, r.CallCentre, r.Language, r.Line, r.Priority,
                    d.QueuedAt, now - d.QueuedAt, place.Position, place.EstimatedWait);
            })
            .ToArray();

        // Invisible operators still work their current dialogs, so the supervisor sees them too.
        var ops = operators
            .Where(o => o.Status != OperatorStatus.Offline || dialogsByOperator.ContainsKey(o.OperatorId))
            .OrderBy(o => o.OperatorId, StringComparer.Ordinal)
            .Select(o => new OperatorView(o.OperatorId, o.Status, o.ActiveDialogs, o.Routing.MaxConcurrentDialogs,
                dialogsByOperator.GetValueOrDefault(o.OperatorId) ?? [], o.IdleSince))
            .ToArray();

        return new MonitoringOverview(waiting.Length, waiting, ops, dialogsWithBot, botDialogs, errors);
    }
}
