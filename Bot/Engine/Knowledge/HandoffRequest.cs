namespace BotEngine.Engine.Knowledge;

/// <summary>The bot or an agent hands the dialog to people: optionally to a line, or to one named operator.</summary>
public sealed record HandoffRequest(string? Line, string Reason, string? OperatorId = null)
{
    public IReadOnlyList<string> Skills { get; init; } = [];
}
