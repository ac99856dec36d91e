using BotEngine.Http;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>Routing and supervision: operator actions beyond reply/close, statuses forced by supervisors, positions, call-centre settings, monitoring.</summary>
public static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("routing").RequireAuthorization();
        api.MapPost("/dialogs/{id}/accept", (string id, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.AcceptAsync(http.User.OperatorId(), id, ct)))
            .RequirePermission(Permission.HandleDialogs);
        api.MapPost("/dialogs/{id}/transfer", (string id, TransferRequest? request, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.TransferAsync(http.User.OperatorId(), id, request ?? new TransferRequest(null, null, null, false, null), ct)))
            .RequirePermission(Permission.ViewRerouteBtn);
        api.MapGet("/transfer-targets", TransferTargetsAsync).RequirePermission(Permission.ViewRerouteBtn);
        api.MapPost("/dialogs/{id}/cancel-hold", (string id, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.CancelHoldAsync(http.User.OperatorId(), id, ct)))
            .RequirePermission(Permission.HandleDialogs);
        api.MapPost("/operators/{id}/status", (string id, ForceStatusRequest? request, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            request?.Status == OperatorStatus.Offline.ToName()
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
        api.MapGet("/call-centres/{id}", async (string id, CallCentreStore callCentres, CancellationToken ct) => TypedResults.Ok(await callCentres.LoadSettingsAsync(id, ct)))
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
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SaveCallCentreAsync(string id, HttpRequest request, CallCentreStore callCentres, CancellationToken ct)
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
        await callCentres.SaveSettingsAsync(id, valid.Value, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Where an operator can transfer a dialog: the other operators who are online, and the lines, languages and skills operators have.</summary>
    private static async Task<Ok<TransferTargetsDto>> TransferTargetsAsync(HttpContext http, OperatorStore operatorStore, CancellationToken ct)
    {
        var me = http.User.OperatorId();
        var operators = await operatorStore.ListByDisplayNameAsync(ct);
        var online = operators.Where(o => o.Id != me && HandoffStore.Status(o) == OperatorStatus.Online).Select(o => new TransferOperatorDto(o.Id, o.DisplayName)).ToList();
        var enabled = operators.Where(o => o.DisabledAt is null).Select(HandoffStore.Routing).ToList();
        List<string> Served(Func<RoutingProfile, IEnumerable<string>> pick) =>
            enabled.SelectMany(pick).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new TransferTargetsDto(online, Served(r => r.Lines), Served(r => r.Languages), Served(r => r.Skills)));
    }
}
