namespace BotEngine.KnowledgeBase;

/// <summary>One entity an import would add, change or remove: its collection ("articles", "slots", ...) and identifier.</summary>
public sealed record KbItemChange(string Collection, string Id, string Change)
{
    public const string Added = "added";
    public const string Changed = "changed";
    public const string Removed = "removed";
}
