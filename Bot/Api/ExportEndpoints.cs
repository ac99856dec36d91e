using System.Globalization;
using BotEngine.Engine.Statistics;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Export;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// The export API for other systems: dialogs with their messages (<c>view_dialogs_search</c>) and closed dialogs'
/// statistics rows (<c>view_stat</c>), each paged by an opaque cursor in a stable order. (Client profiles are
/// exported by <see cref="ClientEndpoints"/>.)
/// </summary>
public static class ExportEndpoints
{
    private const int MaxLimit = 1000;

    /// <summary>
    /// Statistics rows are exported for dialogs closed at least this long ago: their facts are stored a minute after
    /// closing by a loop that runs every 30 s, so by then every one is there and a later page cannot miss one.
    /// </summary>
    public static readonly TimeSpan FactsSettled = StatisticsFactsLoop.Settle + TimeSpan.FromMinutes(2);

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/export").WithTags("export");
        api.MapGet("/dialogs", DialogsAsync).RequirePermission(Permission.ViewDialogsSearch);
        api.MapGet("/statistics", StatisticsAsync).RequirePermission(Permission.ViewStat);
        return app;
    }

    /// <summary>
    /// With <c>changedSince</c>: dialogs whose last message came after it, by that time. Otherwise dialogs opened in
    /// [since, until) (default: the last 30 days), by opening time.
    /// </summary>
    private static async Task<Results<Ok<ExportDialogPageDto>, ProblemHttpResult>> DialogsAsync(string? since, string? until, string? changedSince,
        string? cursor, int? limit, ExportStore store, TimeProvider time, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Bad($"limit: between 1 and {MaxLimit}.");
        var take = limit ?? 100;
        IReadOnlyList<ExportDialogRow> rows;
        if (changedSince is not null)
        {
            if (since is not null)
                return Bad("changedSince: give either changedSince or since/until, not both.");
            if (!TryTime(changedSince, out var changed))
                return Bad($"changedSince: '{changedSince}' is not a date and time (ISO 8601, e.g. 2026-11-29T00:00:00Z).");
            var to = until is null ? time.GetUtcNow() : TryTime(until, out var u) ? u : (DateTimeOffset?)null;
            if (to is null)
                return Bad($"until: '{until}' is not a date and time (ISO 8601).");
            if (!TryCursor(cursor, TimeExtensions.ToMicros(changed), out var afterAt, out var afterId))
                return Bad("cursor: pass back the nextCursor of the previous page unchanged.");
            rows = await store.ChangedAsync(TimeExtensions.ToMicros(to.Value), afterAt, afterId, take, ct);
            return TypedResults.Ok(await PageAsync(store, rows, take, r => r.LastMessageAt, ct));
        }
        var period = ReportPeriod.Parse(since, until, time, TimeSpan.FromDays(30), out var error);
        if (period is null)
            return Bad(error!.Replace("from:", "since:", StringComparison.Ordinal).Replace("to:", "until:", StringComparison.Ordinal));
        if (!TryCursor(cursor, period.FromMicros - 1, out var at, out var id))
            return Bad("cursor: pass back the nextCursor of the previous page unchanged.");
        rows = await store.OpenedAsync(period.FromMicros, period.ToMicros, at, id, take, ct);
        return TypedResults.Ok(await PageAsync(store, rows, take, r => r.OpenedAt, ct));
    }

    private static async Task<ExportDialogPageDto> PageAsync(ExportStore store, IReadOnlyList<ExportDialogRow> rows, int take, Func<ExportDialogRow, long> key, CancellationToken ct)
    {
        var messages = await store.MessagesAsync(rows.Select(r => r.Id).ToList(), ct);
        var dialogs = rows.Select(d => new ExportDialogDto(d.Id, d.ClientId, d.Channel, d.State, d.Language, d.OperatorId, d.CallCentre, d.Line,
            TimeExtensions.FromMicros(d.OpenedAt), Optional(d.QueuedAt), Optional(d.AssignedAt), Optional(d.ClosedAt), d.ClosedBy, d.CloseTopic,
            d.Rating, d.RatingComment, TimeExtensions.FromMicros(d.LastMessageAt), d.TestClient == 1,
            messages[d.Id].Select(m => new ExportMessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text, m.Channel, TimeExtensions.FromMicros(m.CreatedAt))).ToList()))
            .ToList();
        return new ExportDialogPageDto(dialogs, rows.Count == take ? Cursor(key(rows[^1]), rows[^1].Id) : null);
    }

    /// <summary>Closed dialogs' statistics rows, closed in [since, until) (default: the last 30 days), by closing time.</summary>
    private static async Task<Results<Ok<ExportFactsPageDto>, ProblemHttpResult>> StatisticsAsync(string? since, string? until, string? cursor, int? limit,
        ExportStore store, TimeProvider time, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Bad($"limit: between 1 and {MaxLimit}.");
        var period = ReportPeriod.Parse(since, until, time, TimeSpan.FromDays(30), out var error);
        if (period is null)
            return Bad(error!.Replace("from:", "since:", StringComparison.Ordinal).Replace("to:", "until:", StringComparison.Ordinal));
        if (!TryCursor(cursor, period.FromMicros - 1, out var afterAt, out var afterId))
            return Bad("cursor: pass back the nextCursor of the previous page unchanged.");
        var settled = TimeExtensions.ToMicros(time.GetUtcNow() - FactsSettled);
        var take = limit ?? 200;
        var rows = await store.FactsAsync(period.FromMicros, Math.Min(period.ToMicros, settled), afterAt, afterId, take, ct);
        var items = rows.Select(f => new ExportFactsDto(f.DialogId, f.ClientId, f.Channel, f.CallCentre, f.Line, f.OperatorId,
            TimeExtensions.FromMicros(f.OpenedAt), Optional(f.QueuedAt), Optional(f.FirstReplyAt), TimeExtensions.FromMicros(f.ClosedAt), f.ClosedBy,
            f.CloseTopic, f.Rating, f.Assignments > 0 ? "operators" : "bot", f.Assignments, Seconds(f.ClosedAt - f.OpenedAt),
            f.QueuedAt is { } q && f.FirstReplyAt is { } r ? Seconds(r - q) : null, f.Messages, f.ClientMessages, f.BotMessages, f.OperatorMessages,
            f.Pairs, f.Pairs > 0 ? Math.Round(f.PairMicros / 1e6 / f.Pairs, 3) : null)).ToList();
        return TypedResults.Ok(new ExportFactsPageDto(items, rows.Count == take ? Cursor(rows[^1].ClosedAt, rows[^1].DialogId) : null));
    }

    private static double Seconds(long micros) => Math.Round(micros / 1e6, 3);

    private static string Cursor(long at, string id) => FormattableString.Invariant($"{at}:{id}");

    /// <summary>A cursor is "micros:id"; without one, the page starts after <paramref name="start"/>.</summary>
    private static bool TryCursor(string? cursor, long start, out long afterAt, out string afterId)
    {
        (afterAt, afterId) = (start, "");
        if (cursor is null)
            return true;
        var parts = cursor.Split(':', 2);
        if (parts.Length != 2 || parts[1].Length == 0 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out afterAt))
            return false;
        afterId = parts[1];
        return true;
    }

    private static bool TryTime(string value, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    private static DateTimeOffset? Optional(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);
}
