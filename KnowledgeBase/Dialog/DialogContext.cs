namespace BotEngine.KnowledgeBase;

/// <summary>The dialog's place in the contact centre.</summary>
public sealed record DialogContext
{
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public IReadOnlyList<string> Skills { get; init; } = [];
}
