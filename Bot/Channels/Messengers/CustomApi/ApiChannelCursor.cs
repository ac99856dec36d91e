using System.Globalization;

namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>Where a polling app has read up to: a reply's time (microseconds) and id, as "time:id".</summary>
public static class ApiChannelCursor
{
    public static string Of(long micros, string id) => string.Create(CultureInfo.InvariantCulture, $"{micros}:{id}");

    public static bool TryParse(string? cursor, out long micros, out string id)
    {
        micros = 0;
        id = "";
        if (string.IsNullOrEmpty(cursor))
            return true;
        var colon = cursor.IndexOf(':');
        if (colon <= 0 || !long.TryParse(cursor.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out micros) || cursor.Length - colon - 1 is 0 or > 64)
            return false;
        id = cursor[(colon + 1)..];
        return true;
    }
}
