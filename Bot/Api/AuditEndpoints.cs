using System.Globalization;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>The audit log of administrators' changes (<c>GET /api/v1/audit</c>, <c>view_users</c>), written by the <see cref="Middleware.AuditTrail"/>.</summary>
public static class AuditEndpoints
{
    private static readonly string[] Areas = ["users", "positions", "call_centres", "kb", "webhooks", "api_keys"];

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("audit").MapGet("/audit", ListAsync).RequirePermission(Permission.ViewUsers);
        return app;
    }

    private static async Task<Results<Ok<AuditPageDto>, ProblemHttpResult>> ListAsync(string? area, string? cursor, int? limit, AuditStore store, CancellationToken ct)
    {
        if (area is not null && !Areas.Contains(area))
            return Bad($"area: '{area}' is not one of {string.Join(", ", Areas)}.");
        if (limit is < 1 or > 200)
            return Bad("limit: between 1 and 200.");
        long? beforeAt = null;
        string? beforeId = null;
        if (cursor is not null)
        {
            var parts = cursor.Split(':', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var at))
                return Bad("cursor: pass back the nextCursor of the previous page unchanged.");
            (beforeAt, beforeId) = (at, parts[1]);
        }
        var take = limit ?? 50;
        var rows = await store.ListAsync(area, beforeAt, beforeId, take, ct);
        var entries = rows.Select(r => new AuditEntryDto(r.Id, TimeExtensions.FromMicros(r.At), r.Actor, r.ActorLogin, r.Area, r.Action, r.Subject, r.Detail)).ToList();
        return TypedResults.Ok(new AuditPageDto(entries, rows.Count == take ? FormattableString.Invariant($"{rows[^1].At}:{rows[^1].Id}") : null));
    }

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);
}
