using System.Diagnostics;
using Xunit.Abstractions;

namespace BotEngine.Handoff.Tests;

/// <summary>
/// Random operators, dialogs, status changes, closes, timeouts and transfers driven through the real transitions
/// and the pure router; after every routing pass the invariants are checked by brute force.
/// </summary>
public class RouterPropertyTests(ITestOutputHelper output)
{
    private static readonly string[] CallCentres = ["msk", "spb"];
    private static readonly string[] Languages = ["ru", "en", "kk"];
    private static readonly string[] Lines = ["l1", "l2", "vip"];
    private static readonly string[] Skills = ["cards", "loans", "deposits", "fraud"];

    private sealed class Op(OperatorProfile profile)
    {
        public OperatorProfile Profile { get; } = profile;
        public OperatorStatus Status { get; set; } = OperatorStatus.Offline;
        public HashSet<string> Held { get; } = [];
        public DateTimeOffset IdleSince { get; set; }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void Invariants_hold_over_thousands_of_random_steps(int seed)
    {
        var rnd = new Random(seed);
        var clock = new ManualTimeProvider();
        var actions = new DialogActions(clock);
        var preferPrevious = rnd.Next(4) != 0;
        var router = new Router(new RoutingOptions { PreferPreviousOperators = preferPrevious });
        var ops = new Dictionary<string, Op>();
        var dialogs = new Dictionary<string, Dialog>();
        var history = new Dictionary<string, List<string>>(); // client -> operators, most recent first
        var nextDialog = 0;
        var totalAssignments = 0;

        for (var i = 0; i < 40; i++)
        {
            var profile = RoutingProfile.Create(
                Pick(rnd, CallCentres, 0, 2), Pick(rnd, Languages, 0, 2), Pick(rnd, Lines, 0, 2), Pick(rnd, Skills, 0, 3), rnd.Next(1, 5));
            var roles = new[] { Fixtures.OperatorRole, Fixtures.SeniorRole }.Take(rnd.Next(1, 3)).ToArray();
            ops["o" + i] = new Op(new OperatorProfile("o" + i, "o" + i, roles, profile));
        }

        for (var step = 0; step < 3000; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(rnd.Next(1, 20)));
            var now = clock.GetUtcNow();
            switch (rnd.Next(10))
            {
                case 0 or 1 or 2:
                    for (var k = rnd.Next(1, 4); k > 0; k--)
                    {
                        var client = "c" + rnd.Next(150);
                        var d = Dialog.StartWithBot("d" + nextDialog++, client, now);
                        var r = RandomRequirements(rnd, history.GetValueOrDefault(client));
                        dialogs[d.Id] = actions.Escalate(d, r, "bot").Value.Dialog;
                    }

                    break;
                case 3 or 4:
                {
                    var op = ops.Values.ElementAt(rnd.Next(ops.Count));
                    var to = rnd.Next(2) == 0 ? OperatorStatus.Online : Enum.GetValues<OperatorStatus>()[rnd.Next(5)];
                    var change = rnd.Next(20) == 0
                        ? OperatorStatusMachine.ForceOffline(Fixtures.Op("sup", Fixtures.SupervisorRole), op.Profile.Id, op.Status, op.Held, now)
                        : OperatorStatusMachine.Change(op.Profile.Id, op.Status, to, op.Held, now);
                    if (!change.IsSuccess)
                    {
                        Assert.Equal(ErrorKind.Conflict, change.Error!.Kind);
                        break;
                    }

                    foreach (var id in change.Value.RequeueDialogIds)
                    {
                        dialogs[id] = actions.Requeue(dialogs[id], RequeueReason.OperatorStatus).Value.Dialog;
                        op.Held.Remove(id);
                    }

                    op.Status = change.Value.Change.To;
                    if (op.Status == OperatorStatus.Online)
                    {
                        op.IdleSince = now;
                    }

                    break;
                }

                case 5 or 6 or 7 or 8:
                    OperatorActs(rnd, ops, dialogs, actions);
                    break;
                default:
                    break; // time passes (overflow rules kick in)
            }

            // Every step runs a full pass, the one the host runs.
            var queue = new QueueSnapshot(dialogs.Values.Select(d => d.ToQueued()).OfType<QueuedDialog>().ToArray());
            var snapshot = ops.Values.Select(o => new OperatorSnapshot(o.Profile.Id, o.Status, o.Profile.Routing, o.Held.Count, o.IdleSince)).ToArray();
            var decision = router.Route(queue, snapshot, now);
            Assert.Equal(queue.Dialogs.Count, decision.Assignments.Count + decision.Waiting.Count);
            CheckChoices(decision.Assignments, queue, snapshot, now, preferPrevious);
            var assignments = decision.Assignments;

            Assert.Equal(assignments.Count, assignments.Select(a => a.DialogId).Distinct().Count());
            foreach (var a in assignments)
            {
                var d = dialogs[a.DialogId];
                var eff = d.Requirements.EffectiveAt(d.QueuedAt!.Value, now);
                var op = ops[a.OperatorId];
                Assert.Equal(OperatorStatus.Online, op.Status);
                Assert.DoesNotContain(a.OperatorId, eff.ExcludedOperators);
                Assert.True(eff.TargetOperator is null ? op.Profile.Routing.Matches(eff) : eff.TargetOperator == a.OperatorId);

                var assigned = actions.Assign(d, a); // fails if the dialog is not queued: a double assignment
                Assert.True(assigned.IsSuccess, assigned.Error?.Message);
                dialogs[d.Id] = assigned.Value.Dialog;
                Assert.True(op.Held.Add(d.Id));
                op.IdleSince = now;
                var h = history.TryGetValue(d.ClientId, out var list) ? list : history[d.ClientId] = [];
                h.Remove(a.OperatorId);
                h.Insert(0, a.OperatorId);
                totalAssignments++;
            }

            foreach (var op in ops.Values)
            {
                Assert.True(op.Held.Count <= op.Profile.Routing.MaxConcurrentDialogs, $"{op.Profile.Id} over capacity");
                Assert.All(op.Held, id => Assert.Equal(op.Profile.Id, dialogs[id].OperatorId));
            }

            var holders = dialogs.Values.Where(d => d.OperatorId is not null).ToArray();
            Assert.All(holders, d => Assert.Contains(d.Id, ops[d.OperatorId!].Held));
            Assert.Equal(holders.Length, ops.Values.Sum(o => o.Held.Count));

            // Nothing left waiting that an eligible operator with a free slot could take.
            var withSlots = ops.Values
                .Where(o => o.Status == OperatorStatus.Online && o.Held.Count < o.Profile.Routing.MaxConcurrentDialogs)
                .Select(o => new OperatorSnapshot(o.Profile.Id, o.Status, o.Profile.Routing, o.Held.Count, o.IdleSince))
                .ToArray();
            foreach (var q in dialogs.Values.Where(d => d.State == DialogState.Queued))
            {
                var eff = q.Requirements.EffectiveAt(q.QueuedAt!.Value, now);
                var free = withSlots.FirstOrDefault(o => o.IsEligibleFor(eff));
                Assert.True(free is null, $"step {step}: {q.Id} waits while {free?.OperatorId} could take it");
            }
        }

        output.WriteLine($"seed {seed}: {totalAssignments} assignments, {dialogs.Count} dialogs");
        Assert.True(totalAssignments > 1000, $"only {totalAssignments} assignments");
    }

    /// <summary>Replays a pass and checks who was chosen: preferred first, otherwise least loaded then longest idle.</summary>
    private static void CheckChoices(IReadOnlyList<Assignment> assignments, QueueSnapshot queue, OperatorSnapshot[] snapshot, DateTimeOffset now, bool preferPrevious)
    {
        var load = snapshot.ToDictionary(o => o.OperatorId, o => o.ActiveDialogs);
        var idle = snapshot.ToDictionary(o => o.OperatorId, o => o.IdleSince);
        var byId = queue.Dialogs.ToDictionary(d => d.DialogId);
        foreach (var a in assignments)
        {
            var d = byId[a.DialogId];
            var r = d.Requirements.EffectiveAt(d.QueuedAt, now);
            var eligible = snapshot.Where(o => (o with { ActiveDialogs = load[o.OperatorId] }).IsEligibleFor(r)).ToArray();
            Assert.Contains(eligible, o => o.OperatorId == a.OperatorId);
            var open = eligible.Where(o => !r.AvoidOperators.Contains(o.OperatorId)).ToArray();
            switch (a.Reason)
            {
                case AssignmentReason.LeastLoaded:
                    if (preferPrevious)
                    {
                        Assert.DoesNotContain(open, o => r.PreferredOperators.Contains(o.OperatorId));
                    }

                    var best = open.Min(o => (load[o.OperatorId], idle[o.OperatorId]));
                    Assert.Equal(best, (load[a.OperatorId], idle[a.OperatorId]));
                    break;
                case AssignmentReason.AvoidedFallback:
                    Assert.Empty(open);
                    break;
                case AssignmentReason.PreferredOperator:
                    var first = r.PreferredOperators.First(p => open.Any(o => o.OperatorId == p));
                    Assert.Equal(first, a.OperatorId);
                    break;
            }

            load[a.OperatorId]++;
            idle[a.OperatorId] = now;
        }
    }

    private static void OperatorActs(Random rnd, Dictionary<string, Op> ops, Dictionary<string, Dialog> dialogs, DialogActions actions)
    {
        var holders = ops.Values.Where(o => o.Held.Count > 0).ToArray();
        if (holders.Length == 0)
        {
            return;
        }

        var op = holders[rnd.Next(holders.Length)];
        var id = op.Held.ElementAt(rnd.Next(op.Held.Count));
        var d = dialogs[id];
        if (d.State == DialogState.Assigned && rnd.Next(4) != 0)
        {
            d = actions.Accept(d, op.Profile).Value.Dialog;
        }

        HandoffResult<DialogTransition> t;
        switch (rnd.Next(6))
        {
            case 0:
                t = actions.Requeue(d, RequeueReason.OperatorTimeout);
                break;
            case 1:
                var target = ops.Keys.ElementAt(rnd.Next(ops.Count));
                t = actions.Transfer(d, op.Profile, target == op.Profile.Id ? new TransferTarget.ToLine(Lines[rnd.Next(Lines.Length)]) : new TransferTarget.ToOperator(target), "note");
                break;
            case 2:
                t = actions.Transfer(d, op.Profile, new TransferTarget.ToSkills(new HashSet<string> { Skills[rnd.Next(Skills.Length)] }), null);
                break;
            case 3:
                t = actions.Detach(d);
                break;
            default:
                if (d.State == DialogState.Assigned)
                {
                    d = actions.Accept(d, op.Profile).Value.Dialog;
                }

                bool? dissatisfied = op.Profile.Has(Permission.ModifyUserDissatisfaction) ? rnd.Next(2) == 0 : null;
                t = actions.Close(d, op.Profile, "topic", dissatisfied);
                break;
        }

        Assert.True(t.IsSuccess, t.Error?.Message);
        dialogs[id] = t.Value.Dialog;
        op.Held.Remove(id);
        if (t.Value.Dialog.State == DialogState.Detached && rnd.Next(2) == 0)
        {
            dialogs[id] = actions.Reattach(t.Value.Dialog).Value.Dialog; // the client wrote again
        }
    }

    private static RoutingRequirements RandomRequirements(Random rnd, List<string>? previous) => new()
    {
        CallCentre = rnd.Next(3) == 0 ? null : CallCentres[rnd.Next(CallCentres.Length)],
        Language = rnd.Next(4) == 0 ? null : Languages[rnd.Next(Languages.Length)],
        Line = rnd.Next(3) == 0 ? null : Lines[rnd.Next(Lines.Length)],
        Skills = Pick(rnd, Skills, 0, 2).ToHashSet(),
        Priority = rnd.Next(3),
        PreferredOperators = previous?.Take(2).ToArray() ?? [],
        ExcludedOperators = rnd.Next(10) == 0 ? new HashSet<string> { "o" + rnd.Next(40) } : new HashSet<string>(),
        AvoidOperators = rnd.Next(10) == 0 ? new HashSet<string> { "o" + rnd.Next(40) } : new HashSet<string>(),
        Overflow = rnd.Next(4) == 0 ? new OverflowRule(TimeSpan.FromSeconds(rnd.Next(30, 300)), rnd.Next(2) == 0 ? null : "l1") : null,
    };

    private static string[] Pick(Random rnd, string[] from, int min, int max) =>
        from.OrderBy(_ => rnd.Next()).Take(rnd.Next(min, max + 1)).ToArray();

    [Fact]
    public void Ten_thousand_dialogs_and_a_thousand_operators_drain_fast()
    {
        var rnd = new Random(7);
        string[] cc = ["msk", "spb", "nsk"];
        string[] langs = ["ru", "en", "kk", "uz"];
        string[] lines = ["l1", "l2", "l3", "vip", "cards", "b2b"];
        string[] skills = Enumerable.Range(0, 10).Select(i => "s" + i).ToArray();
        var now = Fixtures.T0;
        var ops = Enumerable.Range(0, 1000).Select(i => new OperatorSnapshot(
            "o" + i, OperatorStatus.Online,
            RoutingProfile.Create(Pick(rnd, cc, 1, 2), Pick(rnd, langs, 1, 3), Pick(rnd, lines, 1, 3), Pick(rnd, skills, 2, 6), rnd.Next(2, 5)),
            0, now.AddSeconds(-rnd.Next(3600)))).ToArray();
        var queue = Enumerable.Range(0, 10_000).Select(i => new QueuedDialog(
            "d" + i, "c" + i,
            RoutingRequirements.Create(cc[rnd.Next(cc.Length)], langs[rnd.Next(langs.Length)], lines[rnd.Next(lines.Length)], Pick(rnd, skills, 0, 2), rnd.Next(3)),
            now.AddSeconds(-rnd.Next(600)))).ToList();

        var router = new Router();
        var sw = Stopwatch.StartNew();
        var passes = 0;
        var assigned = 0;
        var perPass = new List<double>();
        while (true)
        {
            var t = Stopwatch.GetTimestamp();
            var decision = router.Route(new QueueSnapshot(queue), ops, now);
            perPass.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            passes++;
            if (decision.Assignments.Count == 0)
            {
                break;
            }

            assigned += decision.Assignments.Count;
            var perOp = decision.Assignments.GroupBy(a => a.OperatorId).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(ops, o => Assert.True(perOp.GetValueOrDefault(o.OperatorId) <= o.Routing.MaxConcurrentDialogs));
            queue = decision.Waiting.ToList();
            now = now.AddMinutes(5); // every operator finishes their dialogs, the queue is routed again
        }

        sw.Stop();
        output.WriteLine($"{assigned} assigned, {queue.Count} unservable, {passes} passes, {sw.Elapsed.TotalMilliseconds:F0} ms total, first pass {perPass[0]:F1} ms");
        Assert.All(queue, d => Assert.DoesNotContain(ops, o => o.IsEligibleFor(d.Requirements)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"drain took {sw.Elapsed}");
    }
}
