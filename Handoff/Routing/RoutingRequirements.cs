using System.Text.Json.Serialization;

namespace BotEngine.Handoff;

/// <summary>
/// What a dialog needs from an operator, set by the bot, the KB article or the channel's line binding.
/// Null call centre/language/line means "any".
/// </summary>
public sealed record RoutingRequirements
{
    public string? CallCentre { get; init; }
    public string? Language { get; init; }
    public string? Line { get; init; }
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> Skills { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Higher goes first; within one priority the queue is FIFO by waiting time.</summary>
    public int Priority { get; init; }

    /// <summary>Operators to try first, in order (the client's previous operators, most recent first).</summary>
    public IReadOnlyList<string> PreferredOperators { get; init; } = [];

    /// <summary>Operators tried only when nobody else is eligible (e.g. the one whose response timed out).</summary>
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> AvoidOperators { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Operators that must never get this dialog.</summary>
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> ExcludedOperators { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Set by a transfer to a named operator: only that operator may take the dialog.</summary>
    public string? TargetOperator { get; init; }

    public OverflowRule? Overflow { get; init; }

    public static RoutingRequirements Create(
        string? callCentre = null, string? language = null, string? line = null, IEnumerable<string>? skills = null, int priority = 0) => new()
    {
        CallCentre = callCentre,
        Language = language,
        Line = line,
        Skills = RoutingProfile.ToSet(skills),
        Priority = priority,
    };

    /// <summary>The requirements in force after waiting since <paramref name="queuedAt"/> (overflow applied).</summary>
    public RoutingRequirements EffectiveAt(DateTimeOffset queuedAt, DateTimeOffset now) =>
        Overflow is { } o && now - queuedAt >= o.After && Line != o.Line ? this with { Line = o.Line, Overflow = null } : this;

    /// <summary>True when the overflow rule has already widened the line at <paramref name="now"/>.</summary>
    public bool IsOverflowed(DateTimeOffset queuedAt, DateTimeOffset now) => !ReferenceEquals(EffectiveAt(queuedAt, now), this);

    /// <summary>When the overflow will widen the line, so the host can re-run routing then.</summary>
    public DateTimeOffset? OverflowDueAt(DateTimeOffset queuedAt) => Overflow is { } o ? queuedAt + o.After : null;
}
