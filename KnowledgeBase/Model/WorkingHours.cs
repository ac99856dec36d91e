namespace BotEngine.KnowledgeBase;

public sealed class WorkingHours
{
    [System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<DayOfWeek>))]
    public DayOfWeek Day { get; set; }
    /// <summary>"HH:mm".</summary>
    public string From { get; set; } = "09:00";
    /// <summary>"HH:mm", later than From; "24:00" is the end of the day.</summary>
    public string To { get; set; } = "18:00";
}
