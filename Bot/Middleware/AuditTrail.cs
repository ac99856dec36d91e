using System.Text.Json.Nodes;
using BotEngine.Bot.Auth;
using BotEngine.Storage;
using BotEngine.Storage.Audit;

namespace BotEngine.Bot.Middleware;

/// <summary>
/// Records every successful change an operator makes to users, positions, call-centre settings and channel bindings,
/// the knowledge base, webhooks and API keys in the audit log: who, when, the request (method and path) and its JSON body with
/// passwords and secrets masked. It sits after the body limits, so the body is already in memory; requests that
/// change nothing (refused, or the KB editor's trial and checks) are not recorded.
/// </summary>
public sealed partial class AuditTrail(RequestDelegate next, AuditStore store, TimeProvider time, ILogger<AuditTrail> logger)
{
    private const int MaxDetail = 4000;
    private static readonly string[] Masked = ["password", "newPassword", "currentPassword", "secret", "token", "webhookSecret"];
    private static readonly string[] NotChanges = ["/api/v1/kb/trial", "/api/v1/kb/phrasing-check", "/api/v1/operators/me"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || AreaOf(request.Path) is not { } area || NotChanges.Any(p => request.Path.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }
        var detail = Body(request);
        await next(context);
        if (context.Response.StatusCode is < 200 or >= 300 || context.User.Identity?.IsAuthenticated != true)
            return;
        var path = request.Path.Value ?? "";
        var row = new AuditRow
        {
            Id = Ids.New(),
            At = time.NowMicros(),
            Actor = context.User.OperatorId(),
            Area = area,
            Action = $"{request.Method} {path}",
            Subject = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(3),
            Detail = detail,
        };
        try
        {
            // The change is made; a failure to record it must not turn its answer into an error.
            await store.AppendAsync(row, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, row.Action);
        }
    }

    private static string? AreaOf(PathString path) =>
        path.StartsWithSegments("/api/v1/operators") ? "users"
        : path.StartsWithSegments("/api/v1/positions") ? "positions"
        : path.StartsWithSegments("/api/v1/call-centres") || path.StartsWithSegments("/api/v1/channel-bindings") ? "call_centres"
        : path.StartsWithSegments("/api/v1/kb") ? "kb"
        : path.StartsWithSegments("/api/v1/webhooks") ? "webhooks"
        : path.StartsWithSegments("/api/v1/api-keys") ? "api_keys"
        : null;

    /// <summary>The JSON body with secrets masked, cut at <see cref="MaxDetail"/> characters; null without one.</summary>
    private static string? Body(HttpRequest request)
    {
        if (request.Body is not MemoryStream body || body.Length == 0)
            return null;
        var bytes = body.ToArray();
        body.Position = 0;
        if (bytes.Length > 64 * 1024)
            return $"({bytes.Length} bytes)";
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(bytes);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        Mask(json);
        var text = json?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        return text.Length <= MaxDetail ? text : text[..MaxDetail] + "…";
    }

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (Masked.Any(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase)) && o[name] is not null)
                        o[name] = "***";
                    else
                        Mask(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    Mask(item);
                break;
        }
    }

    [LoggerMessage(EventId = 1604, Level = LogLevel.Error, Message = "A change ({Action}) was made but not recorded in the audit log")]
    private static partial void LogNotRecorded(ILogger logger, Exception ex, string action);
}
