namespace BotEngine.KnowledgeBase;

/// <summary>A dialog topic (the topic classifier's label). Articles name topics by id.</summary>
public sealed class Topic
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}
