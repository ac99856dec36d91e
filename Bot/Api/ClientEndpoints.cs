using BotEngine.Bot.Auth;
using BotEngine.Engine.Clients;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Client profiles (<c>/api/v1/clients</c>): search, the client card with channels and dialogs, edits and their
/// history, merges, deep links; custom field definitions; and the export of changed profiles.
/// </summary>
public static class ClientEndpoints
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("api");
        api.MapGet("/clients", SearchAsync).RequirePermission(Permission.ViewClient);
        api.MapGet("/clients/{id}", async (string id, ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(ClientProfileCardDto.From(await profiles.CardAsync(id, ct)))).RequirePermission(Permission.ViewClient);
        api.MapPut("/clients/{id}", async (string id, ClientProfileEdit? edit, HttpContext http, ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(await profiles.UpdateAsync(id, edit, http.User.OperatorId(), ct))).RequirePermission(Permission.ModifyClients);
        api.MapGet("/clients/{id}/changes", async (string id, ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok((await profiles.ChangesAsync(id, ct)).Select(ClientChangeDto.From).ToList())).RequirePermission(Permission.ViewClient);
        api.MapPost("/clients/{id}/merge", async (string id, ClientMergeRequest? request, HttpContext http, ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(await profiles.MergeAsync(id, request?.SourceId, request?.Choices, http.User.OperatorId(), ct))).RequirePermission(Permission.ModifyClients);
        api.MapPost("/clients/{id}/deep-links", async (string id, DeepLinkRequest? request, HttpContext http, ClientLinks links, CancellationToken ct) =>
            TypedResults.Ok(await links.CreateAsync(id, request?.Channel, http.User.OperatorId(), ct))).RequirePermission(Permission.ViewDeeplinking);
        api.MapGet("/client-fields", async (ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(await profiles.FieldDefinitionsAsync(ct))).RequirePermission(Permission.ViewClient);
        api.MapPut("/client-fields", async (List<ClientFieldDefinition>? definitions, ClientProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(await profiles.SaveFieldDefinitionsAsync(definitions, ct))).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/widget/settings", async (WidgetAppearance appearance, CancellationToken ct) =>
            TypedResults.Ok(await appearance.GetAsync(ct))).RequirePermission(Permission.ModifyConfiguration);
        api.MapPut("/widget/settings", async (WidgetSettings? settings, WidgetAppearance appearance, CancellationToken ct) =>
            TypedResults.Ok(await appearance.SaveAsync(settings, ct))).RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/export/clients", ExportAsync).RequirePermission(Permission.ViewDialogsSearch);
        return app;
    }

    private static async Task<Results<Ok<ClientPage>, ProblemHttpResult>> SearchAsync(string? q, string? cursor, int? limit, ClientProfiles profiles, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"limit: between 1 and {MaxLimit}.");
        var take = limit ?? 50;
        var found = await profiles.SearchAsync(q, cursor, take, ct);
        return TypedResults.Ok(new ClientPage(found, found.Count == take ? found[^1].Id : null));
    }

    /// <summary>Profiles changed since a time, oldest change first; the cursor continues after the last one returned.</summary>
    private static async Task<Results<Ok<ClientExportPage>, ProblemHttpResult>> ExportAsync(DateTimeOffset? changedSince, string? cursor, int? limit, ClientStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "limit: between 1 and 1000.");
        var since = changedSince is { } s ? TimeExtensions.ToMicros(s) : 0L;
        string? afterId = null;
        if (cursor is not null)
        {
            var parts = cursor.Split(':', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out since))
                return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "cursor: pass back the nextCursor of the previous page unchanged.");
            afterId = parts[1];
        }
        var take = limit ?? 200;
        var rows = await store.ChangedSinceAsync(since, afterId, take, ct);
        var next = rows.Count == take ? FormattableString.Invariant($"{rows[^1].UpdatedAt ?? rows[^1].CreatedAt}:{rows[^1].Id}") : null;
        return TypedResults.Ok(new ClientExportPage(rows.Select(ClientProfile.From).ToList(), next));
    }
}
