namespace BotEngine.KnowledgeBase;

public sealed record OutgoingMessage(string Text, IReadOnlyList<AnswerButton> Buttons, IReadOnlyList<AnswerAttachment> Attachments, string? ArticleId)
{
    /// <summary>The kind of value this message asks for (a slot's question), so a channel can offer its own input for it (Telegram's "share my phone").</summary>
    public SlotType? Expects { get; init; }
}
