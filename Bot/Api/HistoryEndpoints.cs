using System.Globalization;
using System.Text;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Bot.Web;
using BotEngine.Conversations;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Storage.History;

namespace BotEngine.Bot.Api;

/// <summary>
/// History search for supervisors (view_dialogs_search): dialogs by period (the last 30 days by default), message text
/// (full text, Russian and English stemming), operator, channel, line, topic, state, who closed it and the client;
/// newest first, paged by cursor. One dialog with timings, events and transcript; downloads of one dialog or of the
/// found ones as text or JSON; marking a client as a test client, which statistics leave out.
/// </summary>
public static class HistoryEndpoints
{
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(30);
    private const int MaxTextLength = 200;
    private const int MaxExportDialogs = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/history").WithTags("history");
        api.MapGet("", SearchAsync).RequirePermission(Permission.ViewDialogsSearch);
        api.MapGet("/export", ExportFoundAsync).RequirePermission(Permission.ViewDialogsSearch);
        api.MapGet("/{dialogId}", DialogAsync).RequirePermission(Permission.ViewDialogsSearch);
        api.MapGet("/{dialogId}/export", ExportDialogAsync).RequirePermission(Permission.ViewDialogsSearch);
        api.MapPut("/test-clients/{clientId}", (string clientId, HttpContext http, HistoryStore store, TimeProvider time, CancellationToken ct) =>
            MarkTestClientAsync(clientId, true, http, store, time, ct)).RequirePermission(Permission.ViewDialogsSearch);
        api.MapDelete("/test-clients/{clientId}", (string clientId, HttpContext http, HistoryStore store, TimeProvider time, CancellationToken ct) =>
            MarkTestClientAsync(clientId, false, http, store, time, ct)).RequirePermission(Permission.ViewDialogsSearch);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, HistoryStore store, TimeProvider time, CancellationToken ct)
    {
        if (ReadFilter(request, time, out var error) is not { } filter)
            return Problem(error!);
        var rows = await store.SearchAsync(filter with { Limit = filter.Limit + 1 }, ct);
        var page = rows.Take(filter.Limit).ToList();
        var next = rows.Count > filter.Limit ? Cursor(page[^1]) : null;
        return Results.Ok(new HistoryPageDto(page.Select(ToDto).ToList(), next));
    }

    private static async Task<IResult> DialogAsync(string dialogId, HistoryStore store, DialogViewStore dialogs, CancellationToken ct) =>
        await DetailAsync(dialogId, store, dialogs, ct) is { } detail ? Results.Ok(detail) : NotFound(dialogId);

    private static async Task<IResult> ExportDialogAsync(string dialogId, HttpRequest request, HistoryStore store, DialogViewStore dialogs, CancellationToken ct)
    {
        if (ReadFormat(request, out var error) is not { } format)
            return Problem(error!);
        if (await DetailAsync(dialogId, store, dialogs, ct) is not { } detail)
            return NotFound(dialogId);
        return Download([detail], format, $"dialog-{dialogId}");
    }

    private static async Task<IResult> ExportFoundAsync(HttpRequest request, HistoryStore store, DialogViewStore dialogs, TimeProvider time, CancellationToken ct)
    {
        if (ReadFormat(request, out var error) is not { } format || ReadFilter(request, time, out error) is not { } filter)
            return Problem(error!);
        // The found dialogs from the cursor on, up to the export's limit, each with its transcript.
        var found = new List<HistoryDialogRow>();
        var next = filter with { Limit = 200 };
        while (found.Count < MaxExportDialogs)
        {
            var page = await store.SearchAsync(next, ct);
            found.AddRange(page.Take(MaxExportDialogs - found.Count));
            if (page.Count < next.Limit)
                break;
            next = next with { After = new HistoryPosition(page[^1].OpenedAt, page[^1].Id) };
        }
        var details = new List<HistoryDialogDetailDto>();
        foreach (var row in found)
        {
            if (await DetailAsync(row.Id, store, dialogs, ct) is { } detail)
                details.Add(detail);
        }
        return Download(details, format, "dialogs");
    }

    private static async Task<IResult> MarkTestClientAsync(string clientId, bool test, HttpContext http, HistoryStore store, TimeProvider time, CancellationToken ct) =>
        await store.SetTestClientAsync(clientId, test, http.User.OperatorId(), time.NowMicros(), ct)
            ? Results.NoContent()
            : Results.Problem(statusCode: 404, title: "Not found", detail: $"clientId: no client '{clientId}'.");

    private static async Task<HistoryDialogDetailDto?> DetailAsync(string dialogId, HistoryStore store, DialogViewStore dialogs, CancellationToken ct)
    {
        if (await store.FindAsync(dialogId, ct) is not { } row)
            return null;
        var events = await store.EventsAsync(dialogId, ct);
        var messages = await dialogs.TranscriptAsync(dialogId, ct);
        var queued = events.FirstOrDefault(e => e.Kind == "queued")?.At;
        var assigned = events.FirstOrDefault(e => e.Kind == "assigned")?.At;
        var answered = messages.FirstOrDefault(m => m.Author == Authors.Operator)?.CreatedAt;
        var timings = new HistoryTimingsDto(TimeExtensions.FromMicros(row.OpenedAt), Time(queued), Time(assigned), Time(answered), Time(row.ClosedAt),
            Seconds(queued, assigned), Seconds(queued, answered), Seconds(row.OpenedAt, row.ClosedAt));
        return new HistoryDialogDetailDto(ToDto(row), timings,
            events.Select(e => new HistoryEventDto(e.Kind, e.OperatorId, TimeExtensions.FromMicros(e.At), ParseData(e.Data))).ToList(),
            messages.Select(m => new MessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text, TimeExtensions.FromMicros(m.CreatedAt),
                JsonDocument.Parse(m.Activity).RootElement)).ToList());
    }

    private static IResult Download(IReadOnlyList<HistoryDialogDetailDto> dialogs, (string Kind, string Language) format, string name)
    {
        if (format.Kind == "json")
            return Results.File(JsonSerializer.SerializeToUtf8Bytes(dialogs, Json), "application/json; charset=utf-8", name + ".json");
        var text = new StringBuilder();
        foreach (var d in dialogs)
            AppendText(text, d, format.Language);
        return Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())], "text/plain; charset=utf-8", name + ".txt");
    }

    /// <summary>A transcript as people read it: a header naming the dialog, then one line per message with its time and author.</summary>
    private static void AppendText(StringBuilder text, HistoryDialogDetailDto detail, string language)
    {
        string T(string key) => UiStrings.Get(key, language);
        var d = detail.Dialog;
        text.Append(T("hist.dialog")).Append(' ').Append(d.Id).Append("\r\n");
        text.Append(T("hist.client")).Append(": ").Append(d.ClientName ?? d.ClientId).Append(" · ").Append(T("hist.channel")).Append(": ").Append(d.Channel);
        if ((d.OperatorName ?? d.OperatorId) is { } op)
            text.Append(" · ").Append(T("hist.operator")).Append(": ").Append(op);
        text.Append("\r\n").Append(T("hist.opened")).Append(": ").Append(Stamp(d.OpenedAt));
        if (d.ClosedAt is { } closed)
            text.Append(" · ").Append(T("hist.closed")).Append(": ").Append(Stamp(closed));
        if (d.Topic is { } topic)
            text.Append(" · ").Append(T("hist.topic")).Append(": ").Append(topic);
        text.Append("\r\n\r\n");
        foreach (var m in detail.Messages)
        {
            var author = m.Author switch
            {
                Authors.Client => T("hist.author.client"),
                Authors.Bot => T("hist.author.bot"),
                Authors.Operator => T("hist.author.operator"),
                _ => T("hist.author.system"),
            };
            text.Append('[').Append(Stamp(m.CreatedAt)).Append("] ").Append(author).Append(": ")
                .Append((m.Text ?? "").ReplaceLineEndings("\r\n    ")).Append("\r\n");
        }
        text.Append("\r\n");
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static HistoryFilter? ReadFilter(HttpRequest request, TimeProvider time, out string? error)
    {
        var q = request.Query;
        var period = ReportPeriod.Parse(q["from"], q["to"], time, DefaultSpan, out error);
        if (period is null)
            return null;
        var text = Optional(q["q"]);
        if (text is not null && text.Length > MaxTextLength)
        {
            error = $"q: {text.Length} characters; at most {MaxTextLength}.";
            return null;
        }
        if (text is not null && SearchText.Words(text).Count == 0)
        {
            error = $"q: '{text}' has no words to search for.";
            return null;
        }
        var state = Optional(q["state"]);
        if (state is not null && !DialogStates.All.Contains(state))
        {
            error = $"state: '{state}' is not one of {string.Join(", ", DialogStates.All)}.";
            return null;
        }
        var closedBy = Optional(q["closedBy"]);
        if (closedBy is not (null or "bot" or "operator" or "timeout"))
        {
            error = $"closedBy: '{closedBy}' is not bot, operator or timeout.";
            return null;
        }
        var limitText = Optional(q["limit"]);
        var limit = 50;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 200))
        {
            error = $"limit: '{limitText}' is not a number from 1 to 200.";
            return null;
        }
        HistoryPosition? after = null;
        if (Optional(q["cursor"]) is { } cursor && (after = ParseCursor(cursor)) is null)
        {
            error = "cursor: not a cursor this API gave out.";
            return null;
        }
        return new HistoryFilter(period.FromMicros, period.ToMicros)
        {
            Text = text, OperatorId = Optional(q["operatorId"]), Channel = Optional(q["channel"]), Topic = Optional(q["topic"]), Line = Optional(q["line"]),
            State = state, ClosedBy = closedBy, Client = Optional(q["client"]), After = after, Limit = limit,
        };
    }

    private static (string Kind, string Language)? ReadFormat(HttpRequest request, out string? error)
    {
        error = null;
        var format = request.Query["format"].ToString();
        var language = request.Query["lang"].ToString();
        if (format is not ("" or "text" or "json"))
            error = $"format: '{format}' is not text or json.";
        else if (language is not ("" or "ru" or "en"))
            error = $"lang: '{language}' is not ru or en.";
        else
            return (format == "json" ? "json" : "text", language == "" ? "en" : language);
        return null;
    }

    // The cursor names the last dialog of the page it continues: its opening time and id, base64url so it stays opaque.
    private static string Cursor(HistoryDialogRow last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.OpenedAt.ToString(CultureInfo.InvariantCulture)}\n{last.Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static HistoryPosition? ParseCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('\n');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var openedAt) && parts[1].Length > 0
                ? new HistoryPosition(openedAt, parts[1])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static HistoryDialogDto ToDto(HistoryDialogRow r) => new(
        r.Id, r.ClientId, r.ClientName, r.Channel, r.CallCentre, r.Line, r.Language, r.State, r.OperatorId, r.OperatorName,
        TimeExtensions.FromMicros(r.OpenedAt), Time(r.ClosedAt), r.ClosedBy, r.CloseTopic, r.ClientDissatisfied is { } d ? d == 1 : null,
        r.Messages, r.Snippet, r.TestClient == 1);

    private static JsonElement? ParseData(string? data)
    {
        if (string.IsNullOrEmpty(data))
            return null;
        try
        {
            return JsonDocument.Parse(data).RootElement;
        }
        catch (JsonException)
        {
            // Some events store a plain value (a line name), not JSON.
            return JsonSerializer.SerializeToElement(data);
        }
    }

    private static DateTimeOffset? Time(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;

    private static double? Seconds(long? from, long? to) => from is { } f && to is { } t ? Math.Round((t - f) / 1_000_000.0, 3) : null;

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IResult Problem(string detail) => Results.Problem(statusCode: 400, title: "Bad request", detail: detail);

    private static IResult NotFound(string dialogId) => Results.Problem(statusCode: 404, title: "Not found", detail: $"dialogId: no dialog '{dialogId}'.");
}
