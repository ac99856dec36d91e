namespace BotEngine.KnowledgeBase;

/// <summary>The whole knowledge base as one JSON document: the export/import format and the demo KB format.</summary>
public sealed class KbDocument
{
    public int Version { get; set; } = 1;
    public List<RecordType> RecordTypes { get; set; } = [];
    public List<Topic> Topics { get; set; } = [];
    public List<SlotDefinition> Slots { get; set; } = [];
    public List<ExternalAgent> Agents { get; set; } = [];
    public List<BusinessCalendar> Calendars { get; set; } = [];
    public List<Article> Articles { get; set; } = [];
    public KbSettings Settings { get; set; } = new();
}
