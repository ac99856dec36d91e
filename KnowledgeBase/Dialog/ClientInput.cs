namespace BotEngine.KnowledgeBase;

/// <summary>
/// What the client sent in one turn: free text, an article button (<see cref="ArticleId"/>), or a runner-made
/// button such as a dictionary option or yes/no (its <see cref="AnswerButton.Value"/> comes back as <see cref="Payload"/>).
/// </summary>
public sealed record ClientInput(string? Text, string? ArticleId, string Language)
{
    public string? Payload { get; init; }
    /// <summary>Where the dialog runs: used for access filtering and the business calendar. Null means unrestricted.</summary>
    public DialogContext? Context { get; init; }
}
