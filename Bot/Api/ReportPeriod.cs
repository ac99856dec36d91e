using System.Globalization;
using BotEngine.Storage;

namespace BotEngine.Bot.Api;

/// <summary>
/// The period [from, to) of a statistics or history request, read from ISO 8601 query values: to defaults to now,
/// from to <paramref name="defaultSpan"/> before it. A value that is not a time, from not before to, or a span over
/// <see cref="MaxSpan"/> is an error naming the parameter.
/// </summary>
public sealed record ReportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(400);

    public long FromMicros => TimeExtensions.ToMicros(From);
    public long ToMicros => TimeExtensions.ToMicros(To);

    public static ReportPeriod? Parse(string? from, string? to, TimeProvider time, TimeSpan defaultSpan, out string? error)
    {
        error = null;
        var end = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(to) && !TryTime(to, out end))
        {
            error = $"to: '{to}' is not a date and time (ISO 8601, e.g. 2026-11-29T00:00:00Z).";
            return null;
        }
        var start = end - defaultSpan;
        if (!string.IsNullOrWhiteSpace(from) && !TryTime(from, out start))
        {
            error = $"from: '{from}' is not a date and time (ISO 8601, e.g. 2026-11-29T00:00:00Z).";
            return null;
        }
        if (start >= end)
        {
            error = $"from: {start:O} is not before to ({end:O}).";
            return null;
        }
        if (end - start > MaxSpan)
        {
            error = $"from: the period from {start:O} to {end:O} is longer than {MaxSpan.TotalDays:0} days.";
            return null;
        }
        return new ReportPeriod(start, end);
    }

    private static bool TryTime(string value, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
}
