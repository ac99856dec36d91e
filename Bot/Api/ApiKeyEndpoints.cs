using BotEngine.Bot.Auth;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// API keys (<c>modify_users</c>): <c>POST /api/v1/api-keys</c> makes one and shows its secret once, <c>GET</c> lists
/// them, <c>DELETE /{id}</c> revokes one. Changes are in the audit log (area <c>api_keys</c>).
/// </summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/api-keys").WithTags("api-keys");
        api.MapGet("", async (ApiKeyStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ListAsync(ct)).Select(r => ToDto(r, null)).ToList())).RequirePermission(Permission.ModifyUsers);
        api.MapGet("/scopes", () => TypedResults.Ok(ApiKeys.Scopes)).RequirePermission(Permission.ModifyUsers);
        api.MapPost("", async Task<Results<Created<ApiKeyDto>, ProblemHttpResult>> (ApiKeyRequest? request, HttpContext http, ApiKeys keys, CancellationToken ct) =>
        {
            if (request is null)
                return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "Send {\"name\", \"scopes\": [...]}.");
            var permissions = http.User.FindAll(PermissionClaim.Type).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
            var (row, key) = await keys.CreateAsync(request.Name, request.Scopes, http.User.OperatorId(), permissions, ct);
            return TypedResults.Created($"/api/v1/api-keys/{row.Id}", ToDto(row, key));
        }).RequirePermission(Permission.ModifyUsers);
        api.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext http, ApiKeys keys, CancellationToken ct) =>
        {
            await keys.RevokeAsync(id, http.User.OperatorId(), ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ModifyUsers);
        return app;
    }

    private static ApiKeyDto ToDto(ApiKeyRow r, string? key) => new(
        r.Id, r.Name, r.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedBy, r.CreatedByLogin, TimeExtensions.FromMicros(r.CreatedAt),
        r.LastUsedAt is { } used ? TimeExtensions.FromMicros(used) : null, r.RevokedAt is { } revoked ? TimeExtensions.FromMicros(revoked) : null, key);
}
