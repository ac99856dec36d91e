namespace BotEngine.KnowledgeBase;

public sealed class Answer
{
    /// <summary>
    /// Markdown; <c>{{slotId}}</c> is replaced by the slot's value. A text starting with '/' is a command:
    /// <c>/operator [LINE] [skills=A,B]</c>, <c>/redirect AGENT_ID</c>, <c>/close</c>.
    /// </summary>
    public string Text { get; set; } = "";
    public List<AnswerButton> Buttons { get; set; } = [];
    public List<AnswerAttachment> Attachments { get; set; } = [];
    /// <summary>All must hold for the answer to be sent; empty means always.</summary>
    public List<AnswerCondition> Conditions { get; set; } = [];
}
