namespace BotEngine.KnowledgeBase;

/// <summary>What to search within. Null or empty members do not filter (an operator without a context sees everything).</summary>
public sealed record KbSearchFilter
{
    public IReadOnlyList<string> RecordTypes { get; init; } = [];
    public string? Language { get; init; }
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public IReadOnlyList<string> Skills { get; init; } = [];
}
