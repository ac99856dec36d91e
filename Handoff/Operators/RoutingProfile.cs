using System.Text.Json.Serialization;

namespace BotEngine.Handoff;

/// <summary>
/// Which dialogs an operator can take. An empty set means "no restriction" on that dimension,
/// so a small deployment does not have to enumerate every language or line.
/// </summary>
public sealed record RoutingProfile
{
    public const int DefaultMaxConcurrentDialogs = 3;


    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> CallCentres { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> Languages { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> Lines { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlySet<string> Skills { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    public int MaxConcurrentDialogs { get; init; } = DefaultMaxConcurrentDialogs;

    public static RoutingProfile Create(
        IEnumerable<string>? callCentres = null,
        IEnumerable<string>? languages = null,
        IEnumerable<string>? lines = null,
        IEnumerable<string>? skills = null,
        int maxConcurrentDialogs = DefaultMaxConcurrentDialogs) => new()
    {
        CallCentres = ToSet(callCentres),
        Languages = ToSet(languages),
        Lines = ToSet(lines),
        Skills = ToSet(skills),
        MaxConcurrentDialogs = maxConcurrentDialogs,
    };

    public HandoffResult<RoutingProfile> Validate() =>
        MaxConcurrentDialogs < 1
            ? HandoffError.Validation("operator.max_dialogs", "Maximum concurrent dialogs must be at least 1.")
            : this;

    /// <summary>True when this profile satisfies the call centre, language, line and skills of a requirement.</summary>
    public bool Matches(RoutingRequirements r) =>
        Allows(CallCentres, r.CallCentre) && Allows(Languages, r.Language) && Allows(Lines, r.Line) && HasSkills(r.Skills);

    internal bool MatchesBase(string? callCentre, string? language, string? line) =>
        Allows(CallCentres, callCentre) && Allows(Languages, language) && Allows(Lines, line);

    internal bool HasSkills(IReadOnlySet<string> required)
    {
        if (required.Count == 0)
        {
            return true;
        }

        foreach (var s in required)
        {
            if (!Skills.Contains(s))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Allows(IReadOnlySet<string> set, string? required) =>
        required is null || set.Count == 0 || set.Contains(required);

    internal static HashSet<string> ToSet(IEnumerable<string>? values) =>
        values is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(values, StringComparer.Ordinal);
}
