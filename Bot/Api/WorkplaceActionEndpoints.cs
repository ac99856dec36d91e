using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Conversations;
using BotEngine.Engine.Desk;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Storage.Workplace;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// The workplace's actions beyond the dialog API: presence heartbeats, the operator's preferences, the topic chosen
/// during a dialog, starting a dialog with a client, and starting a KB scenario for the client.
/// </summary>
public static class WorkplaceActionEndpoints
{
    private const int MaxTopicLength = 200;

    public static RouteGroupBuilder MapWorkplaceActions(this RouteGroupBuilder api)
    {
        api.MapPost("/operators/me/presence", async (HttpContext http, PresenceStore presence, TimeProvider time, CancellationToken ct) =>
        {
            await presence.TouchAsync(http.User.OperatorId(), time.NowMicros(), ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.HandleDialogs);
        api.MapGet("/operators/me/preferences", async (HttpContext http, OperatorPreferenceStore preferences, CancellationToken ct) =>
            TypedResults.Ok(new WorkplacePreferencesDto(await preferences.SendKeyAsync(http.User.OperatorId(), ct))))
            .RequirePermission(Permission.HandleDialogs);
        api.MapPut("/operators/me/preferences", SetPreferencesAsync).RequirePermission(Permission.HandleDialogs);
        api.MapPost("/dialogs/{id}/topic", SetTopicAsync).RequirePermission(Permission.HandleDialogs);
        api.MapPost("/dialogs", StartDialogAsync).RequirePermission(Permission.HandleDialogs);
        api.MapPost("/dialogs/{id}/scenarios/{articleId}", (string id, string articleId, HttpContext http, ScenarioStarter scenarios, CancellationToken ct) =>
            DeskResults.Run(() => scenarios.StartAsync(http.User.OperatorId(), id, articleId, ct)))
            .RequirePermission(Permission.HandleDialogs);
        return api;
    }

    private static async Task<Results<Ok<WorkplacePreferencesDto>, ProblemHttpResult>> SetPreferencesAsync(WorkplacePreferencesDto? request, HttpContext http,
        OperatorPreferenceStore preferences, TimeProvider time, CancellationToken ct)
    {
        if (request?.SendKey is not (OperatorPreferenceStore.SendWithEnter or OperatorPreferenceStore.SendWithCtrlEnter))
            return Bad($"sendKey: '{OperatorPreferenceStore.SendWithEnter}' or '{OperatorPreferenceStore.SendWithCtrlEnter}'.");
        await preferences.SetSendKeyAsync(http.User.OperatorId(), request.SendKey, time.NowMicros(), ct);
        return TypedResults.Ok(new WorkplacePreferencesDto(request.SendKey));
    }

    /// <summary>Kept on the server while the dialog runs, so a reload, another tab or the next operator after a transfer sees it; the close form starts from it.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetTopicAsync(string id, WorkplaceTopicRequest? request, HttpContext http,
        DialogViewStore dialogs, DialogTopicStore topics, TimeProvider time, CancellationToken ct)
    {
        if (request?.Topic is null)
            return Bad("topic: required (an empty string clears it).");
        var topic = request.Topic.Trim();
        if (topic.Length > MaxTopicLength || topic.Any(char.IsControl))
            return Bad($"topic: up to {MaxTopicLength} characters, no control characters.");
        var row = await dialogs.FindAsync(id, ct);
        if (row is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Dialog '{id}' does not exist.");
        var operatorId = http.User.OperatorId();
        if (row.State is not (DialogStates.Assigned or DialogStates.Active) || row.OperatorId != operatorId)
            return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"Dialog '{id}' is not one you hold.",
                extensions: new Dictionary<string, object?> { ["code"] = "dialog.not_owner" });
        if (topic.Length == 0)
            await topics.ClearAsync(id, ct);
        else
            await topics.SetAsync(id, topic, operatorId, time.NowMicros(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<WorkplaceStartedDto>, ProblemHttpResult>> StartDialogAsync(WorkplaceStartRequest? request, HttpContext http,
        OutboundDialogStarter starter, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.ClientId))
            return Bad("clientId: required (find the client with GET /api/v1/clients?q=).");
        if (string.IsNullOrWhiteSpace(request.Text))
            return Bad("text: the first message is required.");
        if (request.Language is not (null or "ru" or "en"))
            return Bad("language: ru or en, or leave it out.");
        var (dialogId, m) = await starter.StartAsync(http.User.OperatorId(), request.ClientId, request.ConversationId, request.Text, request.Language, ct);
        var message = new MessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text, TimeExtensions.FromMicros(m.CreatedAt), JsonDocument.Parse(m.Activity).RootElement);
        return TypedResults.Created($"/api/v1/dialogs/{dialogId}", new WorkplaceStartedDto(dialogId, message));
    }

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);
}
