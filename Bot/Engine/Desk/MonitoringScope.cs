using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>
/// What part of the contact centre a supervisor watches: the call centres, languages and lines of their own routing
/// settings, where an empty set means all of them. A dialog is in scope when each of its call centre, language and
/// line is (a dialog without one is everyone's); an operator when, in each of the three, either side is empty or
/// they share a value.
/// </summary>
public sealed record MonitoringScope(IReadOnlySet<string> CallCentres, IReadOnlySet<string> Languages, IReadOnlySet<string> Lines)
{
    public static MonitoringScope Of(RoutingProfile supervisor) => new(supervisor.CallCentres, supervisor.Languages, supervisor.Lines);

    public bool SeesAll => CallCentres.Count == 0 && Languages.Count == 0 && Lines.Count == 0;

    public bool CoversDialog(string? callCentre, string? language, string? line) =>
        Allows(CallCentres, callCentre) && Allows(Languages, language) && Allows(Lines, line);

    public bool CoversOperator(RoutingProfile routing) =>
        Overlaps(CallCentres, routing.CallCentres) && Overlaps(Languages, routing.Languages) && Overlaps(Lines, routing.Lines);

    private static bool Allows(IReadOnlySet<string> set, string? value) => value is null || set.Count == 0 || set.Contains(value);

    private static bool Overlaps(IReadOnlySet<string> mine, IReadOnlySet<string> theirs) =>
        mine.Count == 0 || theirs.Count == 0 || mine.Overlaps(theirs);
}
