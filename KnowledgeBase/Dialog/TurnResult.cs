namespace BotEngine.KnowledgeBase;

public sealed record TurnResult(IReadOnlyList<OutgoingMessage> Messages, TurnOutcome Outcome, DialogState State)
{
    /// <summary>Set when this turn answered a "did you mean" question with one of the offered articles.</summary>
    public ClarifiedExample? Clarified { get; init; }
}
