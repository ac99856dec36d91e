namespace BotEngine.KnowledgeBase;

public sealed class DictionaryItem
{
    public string Id { get; set; } = "";
    /// <summary>The visible value (button label).</summary>
    public string Value { get; set; } = "";
    /// <summary>Other ways a client may type it.</summary>
    public List<string> Synonyms { get; set; } = [];
}
