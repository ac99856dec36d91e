namespace BotEngine.KnowledgeBase;

public sealed class OutOfHours
{
    public OutOfHoursMode Mode { get; set; } = OutOfHoursMode.Queue;
    /// <summary>Language code to the notice sent when a handoff happens out of hours.</summary>
    public Dictionary<string, string> Text { get; set; } = [];
    /// <summary>Scenario article whose slots collect contact details (mode collectContacts).</summary>
    public string? ContactArticle { get; set; }
    /// <summary>Also send the notice right after the greeting when the dialog starts out of hours.</summary>
    public bool NoticeOnGreeting { get; set; }
}
