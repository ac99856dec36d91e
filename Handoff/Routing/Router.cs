namespace BotEngine.Handoff;

/// <summary>
/// Matches queued dialogs to operators. Pure: it reads snapshots and returns a decision, so the host can run it
/// inside one database transaction (or under one advisory lock) and apply the result atomically.
/// </summary>
/// <remarks>
/// Operators are indexed per requirement key (call centre, language, line, skills) and kept in a heap ordered by
/// (load, idle since); entries go stale as loads grow during a pass and are re-keyed lazily when popped.
/// Since loads only increase within a pass, a dialog left waiting had no eligible operator with a free slot.
/// </remarks>
public sealed class Router(RoutingOptions? options = null)
{
    private readonly RoutingOptions _options = options ?? new RoutingOptions();

    /// <summary>Queue order: higher priority first, then longest waiting, then id for a stable order on every node.</summary>
    public static IReadOnlyList<QueuedDialog> Order(IEnumerable<QueuedDialog> dialogs, DateTimeOffset now) =>
        dialogs
            .OrderByDescending(d => d.Requirements.EffectiveAt(d.QueuedAt, now).Priority)
            .ThenBy(d => d.QueuedAt)
            .ThenBy(d => d.DialogId, StringComparer.Ordinal)
            .ToArray();

    public RoutingDecision Route(QueueSnapshot queue, IReadOnlyList<OperatorSnapshot> operators, TimeProvider time) =>
        Route(queue, operators, time.GetUtcNow());

    /// <summary>Assigns as many queued dialogs as capacity allows, in queue order.</summary>
    public RoutingDecision Route(QueueSnapshot queue, IReadOnlyList<OperatorSnapshot> operators, DateTimeOffset now)
    {
        var pass = new Pass(operators, now, _options);
        var assignments = new List<Assignment>();
        var waiting = new List<QueuedDialog>();
        foreach (var dialog in Order(queue.Dialogs, now))
        {
            if (pass.TryAssign(dialog) is { } a)
            {
                assignments.Add(a);
            }
            else
            {
                waiting.Add(dialog);
            }
        }

        return new RoutingDecision(assignments, waiting);
    }

    private readonly record struct BaseKey(string? CallCentre, string? Language, string? Line);

    private readonly record struct FullKey(BaseKey Base, string Skills);

    private sealed class Pass
    {
        private readonly OperatorSnapshot[] _ops;
        private readonly int[] _load;
        private readonly int[] _cap;
        private readonly long[] _idle;
        private readonly Dictionary<string, int> _byId;
        private readonly Dictionary<BaseKey, int[]> _baseIndex = [];
        private readonly Dictionary<FullKey, PriorityQueue<int, (int Load, long Idle, int Index)>> _heaps = [];
        private readonly List<int> _skipped = [];
        private readonly DateTimeOffset _now;
        private readonly RoutingOptions _options;

        public Pass(IReadOnlyList<OperatorSnapshot> operators, DateTimeOffset now, RoutingOptions options)
        {
            _now = now;
            _options = options;
            // Only online operators with a free slot can ever be chosen in this pass.
            // A duplicated id (a host bug) must not double an operator's capacity: the first row wins.
            _ops = operators
                .Where(o => o.Status == OperatorStatus.Online && o.FreeSlots > 0)
                .DistinctBy(o => o.OperatorId, StringComparer.Ordinal)
                .ToArray();
            _load = new int[_ops.Length];
            _cap = new int[_ops.Length];
            _idle = new long[_ops.Length];
            _byId = new Dictionary<string, int>(_ops.Length, StringComparer.Ordinal);
            for (var i = 0; i < _ops.Length; i++)
            {
                _load[i] = _ops[i].ActiveDialogs;
                _cap[i] = _ops[i].Routing.MaxConcurrentDialogs;
                _idle[i] = _ops[i].IdleSince.UtcTicks;
                _byId[_ops[i].OperatorId] = i;
            }
        }

        public Assignment? TryAssign(QueuedDialog dialog)
        {
            var r = dialog.Requirements.EffectiveAt(dialog.QueuedAt, _now);
            var overflowed = !ReferenceEquals(r, dialog.Requirements);

            if (r.TargetOperator is not null)
            {
                return _byId.TryGetValue(r.TargetOperator, out var t) && HasSlot(t) && !r.ExcludedOperators.Contains(r.TargetOperator)
                    ? Take(dialog, t, AssignmentReason.TransferTarget, overflowed)
                    : null;
            }

            if (_options.PreferPreviousOperators)
            {
                foreach (var id in r.PreferredOperators)
                {
                    if (_byId.TryGetValue(id, out var p) && HasSlot(p) && !r.ExcludedOperators.Contains(id)
                        && !r.AvoidOperators.Contains(id) && _ops[p].Routing.Matches(r))
                    {
                        return Take(dialog, p, AssignmentReason.PreferredOperator, overflowed);
                    }
                }
            }

            var heap = HeapFor(r);
            var chosen = -1;
            var fallback = -1;
            _skipped.Clear();
            while (heap.TryDequeue(out var i, out var key))
            {
                if (!HasSlot(i))
                {
                    continue; // full for the rest of the pass: drop from this heap
                }

                if (key.Load != _load[i] || key.Idle != _idle[i])
                {
                    heap.Enqueue(i, Key(i)); // stale entry: re-key and look again
                    continue;
                }

                var id = _ops[i].OperatorId;
                if (r.ExcludedOperators.Contains(id))
                {
                    _skipped.Add(i);
                    continue;
                }

                if (r.AvoidOperators.Contains(id))
                {
                    if (fallback < 0)
                    {
                        fallback = i;
                    }

                    _skipped.Add(i);
                    continue;
                }

                chosen = i;
                break;
            }

            var reason = AssignmentReason.LeastLoaded;
            if (chosen < 0 && fallback >= 0)
            {
                chosen = fallback;
                reason = AssignmentReason.AvoidedFallback;
                _skipped.Remove(fallback);
            }

            foreach (var s in _skipped)
            {
                heap.Enqueue(s, Key(s));
            }

            if (chosen < 0)
            {
                return null;
            }

            var assignment = Take(dialog, chosen, reason, overflowed);
            if (HasSlot(chosen))
            {
                heap.Enqueue(chosen, Key(chosen));
            }

            return assignment;
        }

        private bool HasSlot(int i) => _load[i] < _cap[i];

        private (int, long, int) Key(int i) => (_load[i], _idle[i], i);

        private Assignment Take(QueuedDialog dialog, int i, AssignmentReason reason, bool overflowed)
        {
            _load[i]++;
            _idle[i] = _now.UtcTicks;
            return new Assignment(dialog.DialogId, _ops[i].OperatorId, reason, overflowed);
        }

        private PriorityQueue<int, (int Load, long Idle, int Index)> HeapFor(RoutingRequirements r)
        {
            var baseKey = new BaseKey(r.CallCentre, r.Language, r.Line);
            var key = new FullKey(baseKey, SkillsKey(r.Skills));
            if (_heaps.TryGetValue(key, out var heap))
            {
                return heap;
            }

            if (!_baseIndex.TryGetValue(baseKey, out var candidates))
            {
                var list = new List<int>();
                for (var i = 0; i < _ops.Length; i++)
                {
                    if (_ops[i].Routing.MatchesBase(r.CallCentre, r.Language, r.Line))
                    {
                        list.Add(i);
                    }
                }

                candidates = list.ToArray();
                _baseIndex[baseKey] = candidates;
            }

            heap = new PriorityQueue<int, (int, long, int)>();
            foreach (var i in candidates)
            {
                if (HasSlot(i) && _ops[i].Routing.HasSkills(r.Skills))
                {
                    heap.Enqueue(i, Key(i));
                }
            }

            _heaps[key] = heap;
            return heap;
        }

        private static string SkillsKey(IReadOnlySet<string> skills)
        {
            if (skills.Count == 0)
            {
                return string.Empty;
            }

            if (skills.Count == 1)
            {
                return skills.First();
            }

            var arr = skills.ToArray();
            Array.Sort(arr, StringComparer.Ordinal);
            return string.Join('\u001f', arr);
        }
    }
}
