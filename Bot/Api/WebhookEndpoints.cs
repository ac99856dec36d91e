using System.Globalization;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Webhooks;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Outgoing webhooks (<c>/api/v1/webhooks</c>, <c>modify_configuration</c>): subscriptions, the event types, each
/// subscription's delivery log and the replay of a dead (or delivered) delivery.
/// </summary>
public static class WebhookEndpoints
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/webhooks").WithTags("webhooks");
        api.MapGet("/event-types", () => TypedResults.Ok(WebhookEventTypes.All)).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("", async (WebhookSubscriptions webhooks, CancellationToken ct) =>
        {
            var list = new List<WebhookDto>();
            foreach (var row in await webhooks.ListAsync(ct))
                list.Add(WebhookDto.From(row, await webhooks.CountsAsync(row.Id, ct)));
            return TypedResults.Ok(list);
        }).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/{id}", async (string id, WebhookSubscriptions webhooks, CancellationToken ct) =>
            TypedResults.Ok(WebhookDto.From(await webhooks.GetAsync(id, ct), await webhooks.CountsAsync(id, ct))))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapPost("", async (WebhookRequest? request, HttpContext http, WebhookSubscriptions webhooks, CancellationToken ct) =>
        {
            var row = await webhooks.CreateAsync(request, http.User.OperatorId(), ct);
            // The one time the secret is shown: the receiver needs it to check signatures.
            return TypedResults.Created($"/api/v1/webhooks/{row.Id}", WebhookDto.From(row, new Dictionary<string, long>()) with { Secret = row.Secret });
        }).RequirePermission(Permission.ModifyConfiguration);
        api.MapPut("/{id}", async (string id, WebhookRequest? request, WebhookSubscriptions webhooks, CancellationToken ct) =>
            TypedResults.Ok(WebhookDto.From(await webhooks.UpdateAsync(id, request, ct), await webhooks.CountsAsync(id, ct))))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapDelete("/{id}", async (string id, WebhookSubscriptions webhooks, CancellationToken ct) =>
        {
            await webhooks.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/{id}/deliveries", DeliveriesAsync).RequirePermission(Permission.ModifyConfiguration);
        api.MapPost("/{id}/deliveries/{deliveryId}/replay", async (string id, string deliveryId, WebhookSubscriptions webhooks, CancellationToken ct) =>
        {
            await webhooks.ReplayAsync(id, deliveryId, ct);
            return TypedResults.Accepted((string?)null);
        }).RequirePermission(Permission.ModifyConfiguration);
        return app;
    }

    private static async Task<Results<Ok<WebhookDeliveryPageDto>, ProblemHttpResult>> DeliveriesAsync(string id, string? state, string? cursor, int? limit,
        WebhookSubscriptions webhooks, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"limit: between 1 and {MaxLimit}.");
        long? beforeAt = null;
        string? beforeId = null;
        if (cursor is not null)
        {
            var parts = cursor.Split(':', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var at))
                return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "cursor: pass back the nextCursor of the previous page unchanged.");
            (beforeAt, beforeId) = (at, parts[1]);
        }
        var take = limit ?? 50;
        var rows = await webhooks.DeliveriesAsync(id, state, beforeAt, beforeId, take, ct);
        var next = rows.Count == take ? FormattableString.Invariant($"{rows[^1].CreatedAt}:{rows[^1].Id}") : null;
        return TypedResults.Ok(new WebhookDeliveryPageDto(rows.Select(WebhookDeliveryDto.From).ToList(), next));
    }
}
