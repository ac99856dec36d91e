namespace BotEngine.Engine.Learning;

/// <summary>
/// Near-duplicate misses (the same normalised text) as one inbox entry: how often, the classifier's current top 3
/// and its uncertainty (1 - the top confidence; 1 when it answers "not an intent"), ranked by count x uncertainty.
/// </summary>
public sealed record InboxGroup(
    string Text, int Count, IReadOnlyList<string> MessageIds, IReadOnlyList<string> DialogIds, IReadOnlyList<string> Kinds,
    string Language, IReadOnlyList<string> Lines, DateTimeOffset LastAt, IReadOnlyList<InboxCandidate> Top, double Uncertainty, double Score);
