using BotEngine.Conversations;
using BotEngine.Http;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using BotEngine.Storage.Workplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Api;

/// <summary>The operator-facing REST API under /api/v1.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        // Sign-in and sign-out are in AuthEndpoints.
        var api = app.MapGroup("/api/v1").WithTags("api");
        var secured = api.MapGroup("").RequireAuthorization();
        // Reading dialogs: each caller sees what DialogAccess allows (their own, or all for supervisors).
        Permission[] readsDialogs = [Permission.HandleDialogs, Permission.ViewDialogsSearch, Permission.ViewMonitoring];
        secured.MapGet("/dialogs", ListDialogsAsync).RequirePermission(readsDialogs);
        secured.MapGet("/dialogs/{id}", GetDialogAsync).RequirePermission(readsDialogs);
        secured.MapGet("/dialogs/{id}/messages", GetMessagesAsync).RequirePermission(readsDialogs);
        secured.MapPost("/dialogs/{id}/messages", ReplyAsync).RequirePermission(Permission.HandleDialogs);
        secured.MapPost("/dialogs/{id}/close", CloseAsync).RequirePermission(Permission.HandleDialogs);
        secured.MapGet("/operators/me", MeAsync).RequireSignedIn();
        secured.MapPost("/operators/me/status", SetStatusAsync).RequirePermission(Permission.HandleDialogs);
        secured.MapGet("/operators", ListOperatorsAsync).RequirePermission(Permission.ViewUsers);
        secured.MapPost("/operators", CreateOperatorAsync).RequirePermission(Permission.ModifyUsers);
        secured.MapPost("/nlu/classify", Classify).RequirePermission(Permission.ViewKb);
        secured.MapGet("/events", StreamEventsAsync).RequirePermission(readsDialogs).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<List<DialogDto>>, ProblemHttpResult>> ListDialogsAsync(string? state, string? operatorId, int? limit, HttpContext http, DialogViewStore dialogs, CancellationToken ct)
    {
        // state takes one state or several separated by commas ("assigned,active").
        var states = state?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (states.FirstOrDefault(s => !DialogStates.All.Contains(s)) is { } unknown)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"state: '{unknown}' is not one of {string.Join(", ", DialogStates.All)}.");
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "limit: between 1 and 1000.");
        var access = DialogAccess.Of(http.User);
        var rows = await dialogs.ListAsync(states, operatorId, limit ?? 200, access.Scope, ct);
        return TypedResults.Ok(rows.Select(ToDto).ToList());
    }

    private static async Task<Results<Ok<DialogDto>, ProblemHttpResult>> GetDialogAsync(string id, HttpContext http, DialogViewStore dialogs, CancellationToken ct)
    {
        var row = await dialogs.FindAsync(id, ct);
        if (row is null)
            return NotFound($"Dialog '{id}' does not exist.");
        return await DialogAccess.Of(http.User).CanReadAsync(dialogs, id, ct) ? TypedResults.Ok(ToDto(row)) : NotYours(id);
    }

    private static async Task<Results<Ok<List<MessageDto>>, ProblemHttpResult>> GetMessagesAsync(string id, HttpContext http, DialogViewStore dialogs, CancellationToken ct)
    {
        if (!await dialogs.ExistsAsync(id, ct))
            return NotFound($"Dialog '{id}' does not exist.");
        if (!await DialogAccess.Of(http.User).CanReadAsync(dialogs, id, ct))
            return NotYours(id);
        // History of the client across dialogs would go through the client; this is one dialog's transcript.
        var rows = await dialogs.TranscriptAsync(id, ct);
        return TypedResults.Ok(rows.Select(m => new MessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text,
            TimeExtensions.FromMicros(m.CreatedAt), JsonDocument.Parse(m.Activity).RootElement)).ToList());
    }

    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> ReplyAsync(string id, ReplyRequest? request, HttpContext context, OperatorDesk desk,
        FileStore files, FileUrls urls, KnowledgeRuntime knowledge, CancellationToken ct)
    {
        if (request?.ArticleId is { } articleId && !knowledge.Document.Articles.Exists(a => a.Id == articleId))
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"articleId: article '{articleId}' does not exist.");
        var ids = request?.Attachments ?? [];
        var stored = await files.FindManyAsync(ids, ct);
        var attachments = new List<(Attachment, bool)>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (!stored.TryGetValue(ids[i] ?? "", out var file))
                return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"attachments[{i}]: file '{ids[i]}' does not exist (upload it with POST /api/v1/files).");
            attachments.Add((new Attachment { ContentType = file.ContentType, ContentUrl = urls.Absolute(file.Id, file.Name, context.Request.Origin()), Name = file.Name }, FileRules.IsInlineImage(file.ContentType)));
        }
        var m = await desk.ReplyAsync(context.User.OperatorId(), id, request?.Text ?? "", attachments, ct, request?.ArticleId, request?.ConversationId);
        return TypedResults.Ok(new MessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text, TimeExtensions.FromMicros(m.CreatedAt), JsonDocument.Parse(m.Activity).RootElement));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CloseAsync(string id, CloseRequest? request, HttpContext context, OperatorDesk desk, CancellationToken ct)
    {
        await desk.CloseAsync(context.User.OperatorId(), id, request?.Topic, request?.ClientDissatisfied, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<OperatorDto>, ProblemHttpResult>> MeAsync(HttpContext context, OperatorAccounts accounts, CancellationToken ct)
    {
        var row = await accounts.FindAsync(context.User.OperatorId(), ct);
        return row is null ? NotFound("The operator no longer exists.") : TypedResults.Ok(ToDto(row));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetStatusAsync(StatusRequest? request, HttpContext context, OperatorDesk desk, CancellationToken ct)
    {
        await desk.SetStatusAsync(context.User.OperatorId(), request?.Status ?? "", ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<OperatorDto>>> ListOperatorsAsync(OperatorAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Created<OperatorDto>, ProblemHttpResult>> CreateOperatorAsync(NewOperator? request, OperatorAccounts accounts, CancellationToken ct)
    {
        if (request is null)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "Send {\"login\", \"password\", \"displayName\", \"maxDialogs\", \"permissions\"}.");
        var row = await accounts.CreateAsync(request, ct);
        return TypedResults.Created($"/api/v1/operators/{row.Id}", ToDto(row));
    }

    private static Results<Ok<ClassifyResponse>, ProblemHttpResult> Classify(ClassifyRequest? request, KnowledgeRuntime knowledge)
    {
        if (string.IsNullOrWhiteSpace(request?.Text))
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "text: required.");
        var prediction = knowledge.Classifier.Predict(request.Text, 3);
        return TypedResults.Ok(new ClassifyResponse(prediction.Top.Select(s => new ClassifiedIntent(s.Intent, s.Confidence)).ToList(), prediction.IsOutOfScope));
    }

    /// <summary>Server-sent events for the operator page: a nudge per committed change, the page re-reads what it shows.</summary>
    /// <remarks>
    /// An open stream is also the page's presence (issue 14): it is noted on connecting, every
    /// <c>Presence:HeartbeatInterval</c> and on leaving, and an operator not heard from for <c>Presence:Timeout</c> goes offline.
    /// Operators who see only their own dialogs get a bare <c>{"type":"queue"}</c> when another dialog changed.
    /// </remarks>
    private static async Task StreamEventsAsync(HttpContext context, ChangeFeed feed, DialogViewStore dialogs, OperatorAccounts accounts,
        PresenceStore presence, IOptions<PresenceOptions> presenceOptions, TimeProvider time)
    {
        var ct = context.RequestAborted;
        using var subscription = feed.Subscribe();
        var access = await FeedAccess.LoadAsync(DialogAccess.Of(context.User), dialogs, ct);
        var operatorId = context.User.OperatorId();
        var present = context.User.Has(Permission.HandleDialogs);
        var heartbeat = presenceOptions.Value.HeartbeatInterval;
        var lastSeen = time.GetUtcNow();
        if (present)
            await presence.TouchAsync(operatorId, TimeExtensions.ToMicros(lastSeen), ct);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": connected\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (present && time.GetUtcNow() - lastSeen >= heartbeat)
                {
                    lastSeen = time.GetUtcNow();
                    await presence.TouchAsync(operatorId, TimeExtensions.ToMicros(lastSeen), ct);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(heartbeat < KeepAlive ? heartbeat : KeepAlive);
                string payload;
                try
                {
                    var e = await subscription.Reader.ReadAsync(wait.Token);
                    if (e is FeedEvent.ActivitiesAppended)
                        continue;
                    if (access.Passes(e))
                        payload = Payload(e);
                    else if (access.IsQueueNudge(e))
                        payload = "data: {\"type\":\"queue\"}\n\n";
                    else
                        continue;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // A stream outlives its sign-in check: at each keep-alive it ends if the session has (logout, disabling).
                    if (!await SessionStillValidAsync(context.User, accounts, ct))
                    {
                        present = false;
                        return;
                    }
                    payload = ": keep-alive\n\n";
                }
                await context.Response.WriteAsync(payload, ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            // The timeout counts from when the page left, not from its last heartbeat.
            if (present)
                await presence.LeftAsync(operatorId, time.NowMicros(), CancellationToken.None);
        }
    }

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    private static string Payload(FeedEvent e) => "data: " + JsonSerializer.Serialize<object>(e switch
    {
        FeedEvent.MessageStored m => new { type = "message", m.DialogId, m.MessageId, m.Author },
        FeedEvent.DialogChanged d => new { type = "dialog", d.DialogId, d.State, d.OperatorId },
        _ => new { type = "other" },
    }, ActivityJson.Options) + "\n\n";

    private static async Task<bool> SessionStillValidAsync(System.Security.Claims.ClaimsPrincipal user, OperatorAccounts accounts, CancellationToken ct)
    {
        var row = await accounts.FindAsync(user.OperatorId(), ct);
        return row is { DisabledAt: null }
            && row.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) == user.FindFirst(OperatorTokenHandler.SessionVersionClaim)?.Value;
    }

    private static DialogDto ToDto(StoredDialog d) => new(d.Id, d.State, d.Channel, d.ClientId, d.OperatorId, d.Language,
        TimeExtensions.FromMicros(d.OpenedAt), Optional(d.QueuedAt), Optional(d.AssignedAt), Optional(d.ClosedAt), TimeExtensions.FromMicros(d.LastMessageAt))
    {
        CallCentre = d.CallCentre,
        Line = d.Line,
        Note = d.Handoff is null ? null : HandoffStore.ToDialog(d).PendingNote,
    };

    public static OperatorDto ToDto(OperatorRow o) => new(o.Id, o.Login, o.DisplayName, o.MaxDialogs, o.Status,
        [.. o.PermissionNames()], HandoffStore.Routing(o), o.Position, o.DisabledAt is not null);

    private static DateTimeOffset? Optional(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);

    private static ProblemHttpResult NotYours(string id) => TypedResults.Problem(statusCode: 403, title: "Forbidden",
        detail: $"Dialog '{id}' is not one you hold or were offered (view_dialogs_search or view_monitoring show every dialog).");

}
