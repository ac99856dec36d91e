namespace BotEngine.Handoff;

public sealed record WaitingDialogView(
    string DialogId, string ClientId, string? CallCentre, string? Language, string? Line, int Priority,
    DateTimeOffset QueuedAt, TimeSpan Waiting, int Position, TimeSpan? EstimatedWait);

public sealed record OperatorView(
    string OperatorId, OperatorStatus Status, int ActiveDialogs, int MaxDialogs, IReadOnlyList<string> DialogIds, DateTimeOffset IdleSince);

public sealed record BotDialogView(string DialogId, string ClientId, DateTimeOffset Since);

/// <summary>
/// A failure parked for inspection: <paramref name="Kind"/> says what failed (a channel delivery, a turn), and
/// <paramref name="Subject"/> names what it failed on (a conversation, a message).
/// </summary>
public sealed record ProcessingErrorView(DateTimeOffset At, string Kind, string? Subject, string Message);

public sealed record MonitoringOverview(
    int QueueLength,
    IReadOnlyList<WaitingDialogView> Waiting,
    IReadOnlyList<OperatorView> Operators,
    int DialogsWithBot,
    IReadOnlyList<BotDialogView> BotDialogs,
    IReadOnlyList<ProcessingErrorView> Errors);

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
