namespace BotEngine.KnowledgeBase;

public sealed class Article
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? RecordType { get; set; }
    /// <summary>"When the user asks": the classifier's training phrasings.</summary>
    public List<string> Questions { get; set; } = [];
    public ArticleAccess Access { get; set; } = new();
    public List<string> Topics { get; set; } = [];
    public MessagePolicy MessagePolicy { get; set; } = MessagePolicy.All;
    /// <summary>Slot ids asked in this order before the answers are sent; a non-empty list makes the article a scenario.</summary>
    public List<string> Slots { get; set; } = [];
    public List<Answer> Answers { get; set; } = [];
}
