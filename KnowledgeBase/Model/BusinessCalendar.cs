namespace BotEngine.KnowledgeBase;

/// <summary>Working hours of one call centre's operators. Without a calendar operators are always available.</summary>
public sealed class BusinessCalendar
{
    /// <summary>The call centre id, or "*" for the default calendar.</summary>
    public string CallCentre { get; set; } = "*";
    /// <summary>IANA id ("Europe/Moscow") or a fixed offset ("+03:00").</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";
    public List<WorkingHours> Week { get; set; } = [];
    /// <summary>Closed days, "yyyy-MM-dd" in the calendar's time zone.</summary>
    public List<string> Holidays { get; set; } = [];
    public OutOfHours OutOfHours { get; set; } = new();
}
