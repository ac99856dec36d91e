using static BotEngine.Handoff.Tests.Fixtures;

namespace BotEngine.Handoff.Tests;

public class WaitEstimatorTests
{
    private static readonly WaitStats NoHistory = new(0, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(6));

    [Fact]
    public void Position_counts_only_dialogs_competing_for_the_same_operators()
    {
        var ru = RoutingRequirements.Create("msk", "ru");
        var en = RoutingRequirements.Create("msk", "en");
        QueuedDialog[] waiting =
        [
            Queued("ru2", ru, T0.AddSeconds(2)), Queued("en1", en, T0.AddSeconds(1)), Queued("ru1", ru, T0),
            Queued("ru-urgent", ru with { Priority = 1 }, T0.AddSeconds(5)),
        ];
        var places = WaitEstimator.Estimate(waiting, [Online("a", languages: ["ru"])], NoHistory, T0.AddMinutes(1)).ToDictionary(p => p.DialogId);
        Assert.Equal(1, places["ru-urgent"].Position);
        Assert.Equal(2, places["ru1"].Position);
        Assert.Equal(3, places["ru2"].Position);
        Assert.Equal(1, places["en1"].Position);
        Assert.Null(places["en1"].EstimatedWait); // nobody online can serve it
    }

    [Fact]
    public void Estimate_from_recent_rate_or_handling_time_over_capacity()
    {
        QueuedDialog[] waiting = [.. Enumerable.Range(0, 7).Select(i => Queued("d" + i, at: T0.AddSeconds(i)))];
        OperatorSnapshot[] ops = [Online("a", active: 3), Online("b", active: 3)]; // capacity 6

        var byAht = WaitEstimator.Estimate(waiting, ops, NoHistory, T0);
        Assert.Equal(TimeSpan.FromMinutes(6), byAht[0].EstimatedWait);
        Assert.Equal(TimeSpan.FromMinutes(12), byAht[6].EstimatedWait);

        var byRate = WaitEstimator.Estimate(waiting, ops, new WaitStats(30, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(6)), T0);
        Assert.Equal(TimeSpan.FromSeconds(30), byRate[0].EstimatedWait); // 2 per minute
        Assert.Equal(TimeSpan.FromSeconds(210), byRate[6].EstimatedWait);
    }

    [Fact]
    public void A_free_operator_means_no_wait_and_nobody_online_means_no_estimate()
    {
        // The defect: 30 min with a free operator online (2 assignments in the last hour), 40 min at place 2 with nobody online.
        var slowHour = new WaitStats(2, TimeSpan.FromHours(1), TimeSpan.FromMinutes(20));
        QueuedDialog[] waiting = [Queued("d1", at: T0), Queued("d2", at: T0.AddSeconds(1)), Queued("d3", at: T0.AddSeconds(2))];

        var oneFreeSlot = WaitEstimator.Estimate(waiting, [Online("a", active: 2, max: 3)], slowHour, T0.AddMinutes(1));
        Assert.Equal(TimeSpan.Zero, oneFreeSlot[0].EstimatedWait);
        // Behind the free slot: 2 an hour would say 30 and 60 min; 20 min handling over 3 slots says 20 min for both.
        Assert.Equal(TimeSpan.FromMinutes(20), oneFreeSlot[1].EstimatedWait);
        Assert.Equal(TimeSpan.FromMinutes(20), oneFreeSlot[2].EstimatedWait);

        var nobody = WaitEstimator.Estimate(waiting, [Online("a", status: OperatorStatus.Lunch), Online("b", status: OperatorStatus.Invisible)], slowHour, T0);
        Assert.All(nobody, p => Assert.Null(p.EstimatedWait));
    }

    [Fact]
    public void Refresh_only_when_changed_and_not_too_often()
    {
        var first = new QueuePlace("d", 5, TimeSpan.FromMinutes(10));
        Assert.True(WaitEstimator.ShouldNotify(first, null, null, T0, TimeSpan.FromMinutes(1)));
        var moved = first with { Position = 4 };
        Assert.False(WaitEstimator.ShouldNotify(moved, first, T0, T0.AddSeconds(30), TimeSpan.FromMinutes(1)));
        Assert.True(WaitEstimator.ShouldNotify(moved, first, T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1)));
        Assert.False(WaitEstimator.ShouldNotify(first with { EstimatedWait = TimeSpan.FromMinutes(10.5) }, first, T0, T0.AddMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.True(WaitEstimator.ShouldNotify(first with { EstimatedWait = null }, first, T0, T0.AddMinutes(2), TimeSpan.FromMinutes(1)));
        // About to be taken by a free slot: no refresh (the operator speaks next), though a first notice is always sent.
        Assert.False(WaitEstimator.ShouldNotify(first with { Position = 1, EstimatedWait = TimeSpan.Zero }, first, T0, T0.AddMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.True(WaitEstimator.ShouldNotify(first with { EstimatedWait = TimeSpan.Zero }, null, null, T0, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Monitoring_overview_lists_queue_operators_bot_dialogs_and_errors()
    {
        var ops = new[] { Online("a", active: 1), Online("off", status: OperatorStatus.Offline), Online("inv", active: 1, status: OperatorStatus.Invisible) };
        var overview = Monitoring.Build(
            [Queued("q2", at: T0.AddSeconds(10)), Queued("q1", at: T0)],
            ops,
            new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["d1"], ["inv"] = ["d2"] },
            40,
            [new BotDialogView("b1", "c9", T0)],
            [new ProcessingErrorView(T0, "delivery", "conv-1", "timeout")],
            NoHistory,
            T0.AddMinutes(2));
        Assert.Equal(2, overview.QueueLength);
        Assert.Equal(["q1", "q2"], overview.Waiting.Select(w => w.DialogId));
        Assert.Equal(TimeSpan.FromMinutes(2), overview.Waiting[0].Waiting);
        Assert.Equal(["a", "inv"], overview.Operators.Select(o => o.OperatorId));
        Assert.Equal(["d1"], overview.Operators[0].DialogIds);
        Assert.Equal(40, overview.DialogsWithBot);
        Assert.Equal(["b1"], overview.BotDialogs.Select(b => b.DialogId));
        Assert.Single(overview.Errors);
    }
}

public class CallCentreSettingsTests
{
    [Fact]
    public void Completes_requirements_with_previous_operators_and_overflow()
    {
        var s = new CallCentreSettings { CallCentre = "msk", Overflow = new OverflowRule(TimeSpan.FromMinutes(5), null), PreviousOperatorsToTry = 2 };
        var r = s.Complete(RoutingRequirements.Create(language: "ru", line: "vip"), ["c", "b", "c", "a"]);
        Assert.Equal("msk", r.CallCentre);
        Assert.Equal(["c", "b"], r.PreferredOperators);
        Assert.Equal(s.Overflow, r.Overflow);

        Assert.Empty((s with { PreferPreviousOperators = false }).Complete(r, ["c"]).PreferredOperators);
        Assert.True(s.Validate().IsSuccess);
        Assert.False((s with { Timers = new TimerSettings { IdleTimeout = TimeSpan.Zero } }).Validate().IsSuccess);
    }
}
