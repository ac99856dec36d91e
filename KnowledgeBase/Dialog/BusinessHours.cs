using System.Globalization;

namespace BotEngine.KnowledgeBase;

/// <summary>Answers "are operators of this call centre working at this instant?" from the KB's calendars.</summary>
public static class BusinessHours
{
    /// <summary>The call centre's calendar, else the default ("*") one, else null (always open).</summary>
    public static BusinessCalendar? CalendarFor(KbDocument kb, string? callCentre) =>
        kb.Calendars.FirstOrDefault(c => callCentre is not null && c.CallCentre == callCentre)
        ?? kb.Calendars.FirstOrDefault(c => c.CallCentre == "*");

    public static bool IsOpen(BusinessCalendar calendar, DateTimeOffset now)
    {
        if (!TryResolveTimeZone(calendar.TimeZone, out var zone))
            return true; // the validator refuses such a calendar; never strand a client because of it
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (calendar.Holidays.Contains(today))
            return false;
        var minute = local.Hour * 60 + local.Minute;
        return calendar.Week.Any(h => h.Day == local.DayOfWeek && Minutes(h.From) <= minute && minute < Minutes(h.To));
    }

    public static bool TryResolveTimeZone(string id, out TimeZoneInfo zone)
    {
        if (id.Length == 6 && id[0] is '+' or '-' && TimeSpan.TryParseExact(id[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset))
        {
            var signed = id[0] == '-' ? -offset : offset;
            zone = TimeZoneInfo.CreateCustomTimeZone(id, signed, id, id);
            return true;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    private static int Minutes(string hhmm) =>
        int.Parse(hhmm.AsSpan(0, 2), CultureInfo.InvariantCulture) * 60 + int.Parse(hhmm.AsSpan(3, 2), CultureInfo.InvariantCulture);
}
