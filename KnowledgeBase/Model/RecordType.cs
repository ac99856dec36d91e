namespace BotEngine.KnowledgeBase;

public sealed class RecordType
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}
