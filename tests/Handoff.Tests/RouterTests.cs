using static BotEngine.Handoff.Tests.Fixtures;

namespace BotEngine.Handoff.Tests;

public class RouterTests
{
    private readonly Router _router = new();

    [Fact]
    public void Only_online_matching_operators_with_a_free_slot_are_eligible()
    {
        var r = RoutingRequirements.Create("msk", "ru", "l1", ["cards"]);
        OperatorSnapshot[] ops =
        [
            Online("offline", status: OperatorStatus.Offline, languages: ["ru"], skills: ["cards"]),
            Online("invisible", status: OperatorStatus.Invisible, languages: ["ru"], skills: ["cards"]),
            Online("lunch", status: OperatorStatus.Lunch, languages: ["ru"], skills: ["cards"]),
            Online("full", active: 3, languages: ["ru"], skills: ["cards"]),
            Online("english", languages: ["en"], skills: ["cards"]),
            Online("other-line", lines: ["l2"], skills: ["cards"]),
            Online("no-skill", languages: ["ru"]),
            Online("spb", callCentres: ["spb"], skills: ["cards"]),
        ];
        Assert.Null(_router.RouteOne(Queued("d", r), ops, T0));

        var fits = Online("fits", callCentres: ["msk"], languages: ["ru", "en"], lines: ["l1"], skills: ["cards", "loans"]);
        var a = _router.RouteOne(Queued("d", r), [.. ops, fits], T0);
        Assert.Equal("fits", a!.OperatorId);
        Assert.Equal(AssignmentReason.LeastLoaded, a.Reason);
    }

    [Fact]
    public void Least_loaded_first_ties_to_longest_idle()
    {
        OperatorSnapshot[] ops =
        [
            Online("busy", active: 2, idleSince: T0.AddHours(-5)),
            Online("recent", active: 1, idleSince: T0.AddMinutes(-1)),
            Online("idle-long", active: 1, idleSince: T0.AddMinutes(-30)),
        ];
        var decision = _router.Route(Queue(Queued("d1"), Queued("d2", at: T0.AddSeconds(1)), Queued("d3", at: T0.AddSeconds(2))), ops, T0);
        // d1 -> idle-long (load 1, idle longest); d2 -> recent (load 1); d3 -> busy (all at 2, busy idle longest)
        Assert.Equal(["idle-long", "recent", "busy"], decision.Assignments.Select(a => a.OperatorId));
    }

    [Fact]
    public void Previous_operators_come_first_most_recent_first_when_eligible()
    {
        var r = new RoutingRequirements { PreferredOperators = ["last", "before"] };
        OperatorSnapshot[] ops = [Online("free"), Online("before", active: 2), Online("last", active: 3)];
        var a = _router.RouteOne(Queued("d", r), ops, T0)!;
        Assert.Equal("before", a.OperatorId); // "last" is full, so the next previous operator
        Assert.Equal(AssignmentReason.PreferredOperator, a.Reason);

        var off = new Router(new RoutingOptions { PreferPreviousOperators = false });
        Assert.Equal("free", off.RouteOne(Queued("d", r), ops, T0)!.OperatorId);
    }

    [Fact]
    public void Previous_operator_who_no_longer_matches_is_skipped()
    {
        var r = RoutingRequirements.Create(language: "ru") with { PreferredOperators = ["prev"] };
        var a = _router.RouteOne(Queued("d", r), [Online("prev", languages: ["en"]), Online("other", languages: ["ru"])], T0)!;
        Assert.Equal("other", a.OperatorId);
    }

    [Fact]
    public void Queue_is_fifo_within_priority_and_higher_priority_first()
    {
        var decision = _router.Route(
            Queue(
                Queued("old-low", at: T0.AddMinutes(-10)),
                Queued("new-high", RoutingRequirements.Create(priority: 5), at: T0.AddMinutes(-1)),
                Queued("older-low", at: T0.AddMinutes(-20)),
                Queued("old-high", RoutingRequirements.Create(priority: 5), at: T0.AddMinutes(-2))),
            [Online("only", max: 2)],
            T0);
        Assert.Equal(["old-high", "new-high"], decision.Assignments.Select(a => a.DialogId));
        Assert.Equal(["older-low", "old-low"], decision.Waiting.Select(d => d.DialogId));
    }

    [Fact]
    public void Head_of_line_that_cannot_be_served_does_not_block_others()
    {
        var decision = _router.Route(
            Queue(Queued("en", RoutingRequirements.Create(language: "en"), T0.AddMinutes(-5)), Queued("ru", RoutingRequirements.Create(language: "ru"))),
            [Online("ru-op", languages: ["ru"])],
            T0);
        Assert.Equal("ru", Assert.Single(decision.Assignments).DialogId);
        Assert.Equal("en", Assert.Single(decision.Waiting).DialogId);
    }

    [Fact]
    public void Batch_never_exceeds_capacity()
    {
        var dialogs = Enumerable.Range(0, 20).Select(i => Queued("d" + i, at: T0.AddSeconds(i))).ToArray();
        var decision = _router.Route(new QueueSnapshot(dialogs), [Online("a", active: 1, max: 3), Online("b", max: 4)], T0);
        Assert.Equal(6, decision.Assignments.Count);
        Assert.Equal(2, decision.Assignments.Count(a => a.OperatorId == "a"));
        Assert.Equal(4, decision.Assignments.Count(a => a.OperatorId == "b"));
        Assert.Equal(14, decision.Waiting.Count);
    }

    [Fact]
    public void Excluded_operator_never_gets_the_dialog()
    {
        var r = new RoutingRequirements { ExcludedOperators = new HashSet<string> { "x" } };
        Assert.Null(_router.RouteOne(Queued("d", r), [Online("x")], T0));
        Assert.Equal("y", _router.RouteOne(Queued("d", r), [Online("x"), Online("y", active: 2)], T0)!.OperatorId);
    }

    [Fact]
    public void Avoided_operator_is_a_fallback_only()
    {
        var r = new RoutingRequirements { AvoidOperators = new HashSet<string> { "timed-out" }, PreferredOperators = ["timed-out"] };
        Assert.Equal("other", _router.RouteOne(Queued("d", r), [Online("timed-out"), Online("other", active: 2)], T0)!.OperatorId);

        var fallback = _router.RouteOne(Queued("d", r), [Online("timed-out"), Online("other", active: 3)], T0)!;
        Assert.Equal("timed-out", fallback.OperatorId);
        Assert.Equal(AssignmentReason.AvoidedFallback, fallback.Reason);
    }

    [Fact]
    public void Transfer_target_only_that_operator()
    {
        var r = new RoutingRequirements { TargetOperator = "target", Language = "ru" };
        Assert.Null(_router.RouteOne(Queued("d", r), [Online("target", active: 3), Online("free")], T0));
        var a = _router.RouteOne(Queued("d", r), [Online("target", languages: ["en"]), Online("free")], T0)!;
        Assert.Equal("target", a.OperatorId);
        Assert.Equal(AssignmentReason.TransferTarget, a.Reason);
    }

    [Fact]
    public void Overflow_widens_the_line_after_the_configured_wait()
    {
        var r = RoutingRequirements.Create(line: "vip") with { Overflow = new OverflowRule(TimeSpan.FromMinutes(3), "general") };
        var queuedAt = T0;
        OperatorSnapshot[] ops = [Online("general-op", lines: ["general"])];

        Assert.Null(_router.RouteOne(Queued("d", r, queuedAt), ops, T0.AddMinutes(2)));
        var a = _router.RouteOne(Queued("d", r, queuedAt), ops, T0.AddMinutes(3))!;
        Assert.True(a.Overflowed);
        Assert.Equal(T0.AddMinutes(3), r.OverflowDueAt(queuedAt));

        var anyLine = RoutingRequirements.Create(line: "vip") with { Overflow = new OverflowRule(TimeSpan.FromMinutes(1), null) };
        Assert.NotNull(_router.RouteOne(Queued("d", anyLine, queuedAt), [Online("x", lines: ["other"])], T0.AddMinutes(1)));
    }

    [Fact]
    public void Empty_profile_dimension_means_any()
    {
        var r = RoutingRequirements.Create("msk", "ru", "l1");
        Assert.NotNull(_router.RouteOne(Queued("d", r), [Online("generalist")], T0));
    }

    [Fact]
    public void Same_snapshot_gives_same_decision()
    {
        var rnd = new Random(5);
        var dialogs = Enumerable.Range(0, 200).Select(i => Queued("d" + i, RoutingRequirements.Create(language: rnd.Next(2) == 0 ? "ru" : "en"), T0.AddSeconds(rnd.Next(100)))).ToArray();
        var ops = Enumerable.Range(0, 30).Select(i => Online("o" + i, active: rnd.Next(3), languages: [i % 2 == 0 ? "ru" : "en"], idleSince: T0.AddSeconds(-rnd.Next(1000)))).ToArray();
        var a = _router.Route(new QueueSnapshot(dialogs), ops, T0);
        var b = _router.Route(new QueueSnapshot(dialogs.Reverse().ToArray()), ops, T0);
        Assert.Equal(a.Assignments, b.Assignments);
    }

    [Fact]
    public void Duplicated_operator_rows_do_not_double_capacity()
    {
        var decision = _router.Route(Queue(Queued("d1"), Queued("d2"), Queued("d3")), [Online("a", max: 1), Online("a", max: 1)], T0);
        Assert.Single(decision.Assignments);
    }
}
