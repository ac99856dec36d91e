namespace BotEngine.KnowledgeBase;

public sealed class SlotQuestion
{
    public string Text { get; set; } = "";
    public List<AnswerAttachment> Attachments { get; set; } = [];
}
