namespace BotEngine.KnowledgeBase;

/// <summary>Where an article may be offered. An empty list means "any".</summary>
public sealed class ArticleAccess
{
    public List<string> CallCentres { get; set; } = [];
    public List<string> Languages { get; set; } = [];
    public List<string> Lines { get; set; } = [];
    public List<string> Skills { get; set; } = [];
}
