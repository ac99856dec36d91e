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

public sealed class WorkingHours
{
    [System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<DayOfWeek>))]
    public DayOfWeek Day { get; set; }
    /// <summary>"HH:mm".</summary>
    public string From { get; set; } = "09:00";
    /// <summary>"HH:mm", later than From; "24:00" is the end of the day.</summary>
    public string To { get; set; } = "18:00";
}

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

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<OutOfHoursMode>))]
public enum OutOfHoursMode
{
    /// <summary>Send the notice and queue the dialog anyway.</summary>
    Queue,
    /// <summary>Send the notice and run the contact article; the result is a callback request, not a handoff.</summary>
    CollectContacts,
}
