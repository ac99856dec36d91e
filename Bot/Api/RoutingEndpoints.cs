using BotEngine.Bot.Agents;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Bot.Routing;
using BotEngine.Bot.Storage;
using BotEngine.Handoff;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

public sealed record ForceStatusRequest(string? Status);
public sealed record WaitingDialogDto(string Id, string ClientId, string? Language, string? Line, string? CallCentre, DateTimeOffset QueuedAt, double WaitingSeconds);
public sealed record OperatorLoadDto(string Id, string Login, string DisplayName, string Status, int MaxDialogs, IReadOnlyList<string> Dialogs);
public sealed record ProcessingErrorDto(string Kind, string? Subject, string Message, DateTimeOffset At);
public sealed record TransferOperatorDto(string Id, string DisplayName);
public sealed record TransferTargetsDto(IReadOnlyList<TransferOperatorDto> Operators, IReadOnlyList<string> Lines);
public sealed record MonitoringDto(int QueueLength, IReadOnlyList<WaitingDialogDto> Waiting, IReadOnlyList<OperatorLoadDto> Operators, int DialogsWithBot, IReadOnlyList<ProcessingErrorDto> Errors);

/// <summary>Routing and supervision: operator actions beyond reply/close, statuses forced by supervisors, positions, call-centre settings, monitoring.</summary>
public static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("routing").RequireAuthorization();
        api.MapPost("/dialogs/{id}/accept", (string id, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.AcceptAsync(http.User.OperatorId(), id, ct)))
            .RequirePermission(Permission.HandleDialogs);
        api.MapPost("/dialogs/{id}/transfer", (string id, TransferRequest? request, HttpContext http, OperatorDesk desk, AgentReturns agents, CancellationToken ct) =>
            DeskResults.Run(async () =>
            {
                var back = await desk.TransferAsync(http.User.OperatorId(), id, request ?? new TransferRequest(null, null, null, false, null), ct);
                if (back is not null)
                    await agents.NotifyAsync(back, ct);
            }))
            .RequirePermission(Permission.ViewRerouteBtn);
        api.MapGet("/transfer-targets", TransferTargetsAsync).RequirePermission(Permission.ViewRerouteBtn);
        api.MapPost("/dialogs/{id}/cancel-hold", (string id, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.CancelHoldAsync(http.User.OperatorId(), id, ct)))
            .RequirePermission(Permission.HandleDialogs);
        api.MapPost("/operators/{id}/status", (string id, ForceStatusRequest? request, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            request?.Status is "offline"
                ? DeskResults.Run(() => desk.ForceOfflineAsync(http.User.OperatorId(), id, ct))
                : Task.FromResult<Results<NoContent, ProblemHttpResult>>(TypedResults.Problem(statusCode: 400, detail: "status: a supervisor can only set 'offline'.")))
            .RequirePermission(Permission.ViewMonitoring);
        api.MapPut("/operators/{id}", async Task<Results<Ok<OperatorDto>, ProblemHttpResult>> (string id, OperatorUpdate? body, OperatorAccounts accounts, AssignmentSignal assignment, CancellationToken ct) =>
        {
            if (body is null)
                return TypedResults.Problem(statusCode: 400, detail: "Send the fields to change: displayName, maxDialogs, permissions, callCentres, languages, lines, skills.");
            return await DeskResults.RunForOk(async () =>
            {
                var updated = await accounts.UpdateAsync(id, body, ct);
                assignment.Request(); // more capacity or new skills may let queued dialogs through
                return ApiEndpoints.ToDto(updated);
            });
        }).RequirePermission(Permission.ModifyUsers);
        api.MapGet("/positions", async (OperatorAccounts accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListPositionsAsync(ct)))
            .RequirePermission(Permission.ViewUsers);
        api.MapPut("/positions/{name}", async (string name, PositionTemplate? body, OperatorAccounts accounts, CancellationToken ct) =>
        {
            if (body is null)
                return TypedResults.Problem(statusCode: 400, detail: "Send {\"permissions\": [...], \"languages\": [...], ...}.");
            return await DeskResults.Run(() => accounts.SavePositionAsync(body with { Name = name }, ct));
        }).RequirePermission(Permission.ModifyUsers);
        api.MapGet("/call-centres/{id}", async (string id, HandoffStore store, CancellationToken ct) => TypedResults.Ok(await store.SettingsAsync(id, ct)))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapPut("/call-centres/{id}", SaveCallCentreAsync).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/channel-bindings", async (ChannelBindings bindings, CancellationToken ct) => TypedResults.Ok(await bindings.ListAsync(ct)))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapPut("/channel-bindings/{channel}", (string channel, ChannelBindingRequest? body, ChannelBindings bindings, CancellationToken ct) =>
            DeskResults.RunForOk(() => bindings.SaveAsync(channel, body ?? new ChannelBindingRequest(null, null), ct)))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapDelete("/channel-bindings/{channel}", async Task<Results<NoContent, NotFound>> (string channel, ChannelBindings bindings, CancellationToken ct) =>
            await bindings.DeleteAsync(channel, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/monitoring", MonitoringAsync).RequirePermission(Permission.ViewMonitoring);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SaveCallCentreAsync(string id, HttpRequest request, Database database, CancellationToken ct)
    {
        CallCentreSettings? settings;
        try
        {
            // The id comes from the path; the body may leave it out.
            if (await System.Text.Json.Nodes.JsonNode.ParseAsync(request.Body, cancellationToken: ct) is not System.Text.Json.Nodes.JsonObject body)
                return TypedResults.Problem(statusCode: 400, detail: "The body must be a JSON object.");
            body["callCentre"] = id;
            settings = body.Deserialize<CallCentreSettings>(HandoffStore.Json);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: 400, detail: $"The body is not valid call-centre settings: {ex.Message}");
        }
        if (settings is null)
            return TypedResults.Problem(statusCode: 400, detail: "The body is empty.");
        var valid = (settings with { CallCentre = id }).Validate();
        if (!valid.IsSuccess)
            return TypedResults.Problem(statusCode: 400, detail: $"{valid.Error!.Code}: {valid.Error.Message}");
        var json = JsonSerializer.Serialize(valid.Value, HandoffStore.Json);
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO call_centres (id, settings) VALUES (@id, @json) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings", new { id, json }, t), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Where an operator can transfer a dialog: the other operators who are online, and the lines operators serve.</summary>
    private static async Task<Ok<TransferTargetsDto>> TransferTargetsAsync(HttpContext http, Database database, CancellationToken ct)
    {
        var me = http.User.OperatorId();
        var operators = (await database.ReadAsync(c => c.QueryAsync<OperatorRow>("SELECT * FROM operators ORDER BY display_name"), ct)).AsList();
        var online = operators.Where(o => o.Id != me && o.Status == "online").Select(o => new TransferOperatorDto(o.Id, o.DisplayName)).ToList();
        var lines = operators.SelectMany(o => HandoffStore.Routing(o).Lines).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new TransferTargetsDto(online, lines));
    }

    private static async Task<Ok<MonitoringDto>> MonitoringAsync(Database database, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var dto = await database.ReadAsync(async c =>
        {
            var queued = (await c.QueryAsync<DialogRow>("SELECT * FROM dialogs WHERE state = 'queued' ORDER BY queued_at LIMIT 500")).AsList();
            var operators = (await c.QueryAsync<OperatorRow>("SELECT * FROM operators WHERE status <> 'offline' ORDER BY login")).AsList();
            var held = (await c.QueryAsync<(string OperatorId, string Id)>(
                "SELECT operator_id, id FROM dialogs WHERE state IN ('assigned', 'active') AND operator_id IS NOT NULL")).ToLookup(x => x.OperatorId, x => x.Id);
            var withBot = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE state = 'bot'");
            var queueLength = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE state = 'queued'");
            var errors = (await c.QueryAsync<ProcessingErrorRow>("""
                SELECT 'delivery' AS kind, conversation_id AS subject, COALESCE(last_error, '') AS message, failed_at AS at FROM outbox WHERE failed_at IS NOT NULL
                UNION ALL
                SELECT kind, subject, message, at FROM processing_errors
                ORDER BY at DESC LIMIT 100
                """)).Select(e => new ProcessingErrorDto(e.Kind, e.Subject, e.Message, TimeExtensions.FromMicros(e.At))).ToList();
            return new MonitoringDto(
                (int)queueLength,
                queued.Select(d => new WaitingDialogDto(d.Id, d.ClientId, d.Language, d.Line, d.CallCentre, TimeExtensions.FromMicros(d.QueuedAt ?? d.OpenedAt),
                    (now - TimeExtensions.FromMicros(d.QueuedAt ?? d.OpenedAt)).TotalSeconds)).ToList(),
                operators.Select(o => new OperatorLoadDto(o.Id, o.Login, o.DisplayName, o.Status, o.MaxDialogs, held[o.Id].ToList())).ToList(),
                (int)withBot,
                errors);
        }, ct);
        return TypedResults.Ok(dto);
    }

    private sealed class ProcessingErrorRow
    {
        public string Kind { get; set; } = "";
        public string? Subject { get; set; }
        public string Message { get; set; } = "";
        public long At { get; set; }
    }
}
