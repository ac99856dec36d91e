using BotEngine.Bot.Web;
using BotEngine.Engine.Statistics;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Statistics;

namespace BotEngine.Bot.Api;

/// <summary>
/// Statistics for supervisors (view_stat), computed from stored dialogs, events and messages by
/// <see cref="StatisticsStore"/>: totals, operators, a time series and breakdowns by channel and topic. Every table
/// is also CSV (<c>format=csv</c>, UTF-8 with BOM, column names in <c>lang</c> ru or en).
/// </summary>
public static class StatisticsEndpoints
{
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(1);
    private const int MaxBuckets = 5000;

    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/statistics").WithTags("statistics");
        api.MapGet("/summary", SummaryAsync).RequirePermission(Permission.ViewStat);
        api.MapGet("/operators", OperatorsAsync).RequirePermission(Permission.ViewStat);
        api.MapGet("/series", SeriesAsync).RequirePermission(Permission.ViewStat);
        api.MapGet("/status-times", StatusTimesAsync).RequirePermission(Permission.ViewStat);
        api.MapGet("/channels", (HttpRequest r, StatisticsStore s, TimeProvider t, CancellationToken ct) => BreakdownAsync(r, s, t, false, ct))
            .RequirePermission(Permission.ViewStat);
        api.MapGet("/topics", (HttpRequest r, StatisticsStore s, TimeProvider t, CancellationToken ct) => BreakdownAsync(r, s, t, true, ct))
            .RequirePermission(Permission.ViewStat);
        return app;
    }

    private static async Task<IResult> SummaryAsync(HttpRequest request, StatisticsStore store, TimeProvider time, CancellationToken ct)
    {
        if (Validate(request, time, out var error) is not { } query)
            return Problem(error!);
        var s = await store.SummaryAsync(query.Filter, ct);
        var dto = new StatisticsSummaryDto(query.Period.From, query.Period.To, s.Dialogs, s.HandledByBotOnly, s.HandledByOperators, s.QueuedNeverAssigned,
            s.Closed, s.ClosedByBot, s.ClosedByOperators, s.ClosedByTimeout,
            Seconds(s.AvgCloseMicros), Seconds(s.AvgFirstResponseMicros), Seconds(s.AvgResponseMicros), s.QuestionAnswerPairs,
            s.Messages, s.Dialogs == 0 ? null : Math.Round((double)s.Messages / s.Dialogs, 3), s.ClientMessages, s.BotMessages, s.OperatorMessages);
        if (!query.Csv)
            return Results.Ok(dto);
        var t = Columns(query.Language, "dialogs", "bot_only", "operators", "queued_never_assigned", "closed", "closed_by_bot", "closed_by_operators",
            "closed_by_timeout", "avg_close", "avg_first_response", "avg_response", "qa_pairs", "messages", "messages_per_dialog");
        t.Row(dto.Dialogs, dto.HandledByBotOnly, dto.HandledByOperators, dto.QueuedNeverAssigned, dto.Closed, dto.ClosedByBot, dto.ClosedByOperators,
            dto.ClosedByTimeout, dto.AvgCloseSeconds, dto.AvgFirstResponseSeconds, dto.AvgResponseSeconds, dto.QuestionAnswerPairs, dto.Messages, dto.MessagesPerDialog);
        return t.ToResult(FileName("summary", query.Period));
    }

    private static async Task<IResult> OperatorsAsync(HttpRequest request, StatisticsStore store, TimeProvider time, CancellationToken ct)
    {
        if (Validate(request, time, out var error) is not { } query)
            return Problem(error!);
        var rows = (await store.OperatorsAsync(query.Filter, ct)).Select(o => new OperatorStatisticsDto(o.OperatorId, o.Login, o.DisplayName,
            o.Dialogs, o.Messages, o.QuestionAnswerPairs, o.Closed, Seconds(o.AvgCloseMicros), Seconds(o.AvgResponseMicros),
            o.AvgMessageLength is { } l ? Math.Round(l, 3) : null)).ToList();
        if (!query.Csv)
            return Results.Ok(rows);
        var t = Columns(query.Language, "operator", "login", "dialogs", "messages", "qa_pairs", "closed", "avg_close", "avg_response", "avg_length");
        foreach (var o in rows)
            t.Row(o.DisplayName, o.Login, o.Dialogs, o.Messages, o.QuestionAnswerPairs, o.Closed, o.AvgCloseSeconds, o.AvgResponseSeconds, o.AvgMessageLength);
        return t.ToResult(FileName("operators", query.Period));
    }

    /// <summary>Every operator's time per status and with dialogs in the period (up to now, if the period runs on).</summary>
    private static async Task<IResult> StatusTimesAsync(HttpRequest request, StatusTimesStore store, BotEngine.Storage.Desk.OperatorStore operators,
        TimeProvider time, CancellationToken ct)
    {
        if (Validate(request, time, out var error) is not { } query)
            return Problem(error!);
        var from = query.Period.FromMicros;
        var to = Math.Min(query.Period.ToMicros, time.NowMicros());
        var times = to <= from ? [] : StatusTimes.Compute(await store.StatusChangesAsync(from, to, ct), await store.HoldEventsAsync(from, to, ct), from, to);
        double Of(OperatorStatusTimes? t, string status) => Math.Round((t?.StatusMicros.GetValueOrDefault(status) ?? 0) / 1e6, 3);
        var rows = (await operators.ListByDisplayNameAsync(ct)).Select(o =>
        {
            times.TryGetValue(o.Id, out var t);
            return new OperatorStatusTimesDto(o.Id, o.Login, o.DisplayName, Of(t, "online"), Of(t, "invisible"), Of(t, "lunch"), Of(t, "training"),
                Of(t, "offline"), Math.Round((t?.WithDialogsMicros ?? 0) / 1e6, 3));
        }).ToList();
        if (!query.Csv)
            return Results.Ok(rows);
        var table = Columns(query.Language, "operator", "login", "online", "invisible", "lunch", "training", "offline", "with_dialogs");
        foreach (var r in rows)
            table.Row(r.DisplayName, r.Login, r.Online, r.Invisible, r.Lunch, r.Training, r.Offline, r.WithDialogs);
        return table.ToResult(FileName("status-times", query.Period));
    }

    private static async Task<IResult> SeriesAsync(HttpRequest request, StatisticsStore store, TimeProvider time, CancellationToken ct)
    {
        if (Validate(request, time, out var error) is not { } query)
            return Problem(error!);
        var stepText = request.Query["step"].ToString();
        TimeSpan? step = stepText switch { "" or "1h" => TimeSpan.FromHours(1), "15m" => TimeSpan.FromMinutes(15), "30m" => TimeSpan.FromMinutes(30), "1d" => TimeSpan.FromDays(1), _ => null };
        if (step is not { } size)
            return Problem($"step: '{stepText}' is not one of 15m, 30m, 1h, 1d.");
        var buckets = (int)Math.Ceiling((query.Period.To - query.Period.From) / size);
        if (buckets > MaxBuckets)
            return Problem($"step: {buckets} buckets of {stepText} in the period; at most {MaxBuckets}. Take a longer step or a shorter period.");
        var counted = (await store.SeriesAsync(query.Filter, TimeExtensions.ToMicros(DateTimeOffset.UnixEpoch + size), ct))
            .ToDictionary(r => long.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture));
        var rows = Enumerable.Range(0, buckets).Select(i =>
        {
            var start = query.Period.From + size * i;
            counted.TryGetValue(i, out var row);
            return new StatisticsCountDto(start.ToString("O", System.Globalization.CultureInfo.InvariantCulture), start, row?.Dialogs ?? 0, row?.HandledByOperators ?? 0);
        }).ToList();
        if (!query.Csv)
            return Results.Ok(rows);
        var t = Columns(query.Language, "start", "dialogs", "operators");
        foreach (var r in rows)
            t.Row(r.Key, r.Dialogs, r.HandledByOperators);
        return t.ToResult(FileName("series", query.Period));
    }

    private static async Task<IResult> BreakdownAsync(HttpRequest request, StatisticsStore store, TimeProvider time, bool byTopic, CancellationToken ct)
    {
        if (Validate(request, time, out var error) is not { } query)
            return Problem(error!);
        var rows = (await store.BreakdownAsync(query.Filter, byTopic, ct)).Select(r => new StatisticsCountDto(r.Key, null, r.Dialogs, r.HandledByOperators)).ToList();
        if (!query.Csv)
            return Results.Ok(rows);
        var t = Columns(query.Language, byTopic ? "topic" : "channel", "dialogs", "operators");
        foreach (var r in rows)
            t.Row(r.Key, r.Dialogs, r.HandledByOperators);
        return t.ToResult(FileName(byTopic ? "topics" : "channels", query.Period));
    }

    private sealed record Query(ReportPeriod Period, StatisticsFilter Filter, bool Csv, string Language);

    /// <summary>The request's period, filters and format; null when one is wrong, and <paramref name="error"/> says which.</summary>
    private static Query? Validate(HttpRequest request, TimeProvider time, out string? error)
    {
        var q = request.Query;
        var period = ReportPeriod.Parse(q["from"], q["to"], time, DefaultSpan, out error);
        if (period is null)
            return null;
        var format = q["format"].ToString();
        if (format is not ("" or "json" or "csv"))
        {
            error = $"format: '{format}' is not json or csv.";
            return null;
        }
        var language = q["lang"].ToString();
        if (language is not ("" or "ru" or "en"))
        {
            error = $"lang: '{language}' is not ru or en.";
            return null;
        }
        var filter = new StatisticsFilter(period.FromMicros, period.ToMicros, Optional(q["callCentre"]), Optional(q["line"]), Optional(q["channel"]));
        return new Query(period, filter, format == "csv", language == "" ? "en" : language);
    }

    private static IResult Problem(string detail) => Results.Problem(statusCode: 400, title: "Bad request", detail: detail);

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static double? Seconds(double? micros) => micros is { } m ? Math.Round(m / 1_000_000, 3) : null;

    private static CsvTable Columns(string language, params string[] keys) =>
        new([.. keys.Select(k => UiStrings.Get("stat.col." + k, language))]);

    private static string FileName(string table, ReportPeriod period) =>
        $"statistics-{table}-{period.From.UtcDateTime:yyyyMMdd'T'HHmm}-{period.To.UtcDateTime:yyyyMMdd'T'HHmm}.csv";
}
