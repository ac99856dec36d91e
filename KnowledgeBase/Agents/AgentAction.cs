namespace BotEngine.KnowledgeBase;

/// <summary>
/// One action. message: text (Markdown), buttons, attachments. done: back to the bot, optionally with slot values.
/// handoff: to operators, optionally a line or an operator. close: end the dialog.
/// </summary>
public sealed record AgentAction
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public List<AgentButton>? Buttons { get; init; }
    public List<AgentFile>? Attachments { get; init; }
    public Dictionary<string, string>? Slots { get; init; }
    public string? Line { get; init; }
    public List<string>? Skills { get; init; }
    public string? OperatorId { get; init; }
}
