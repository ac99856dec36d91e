using System.Text.RegularExpressions;
using BotEngine.Bot.Auth;
using BotEngine.Conversations;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Knowledge;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Storage.Templates;
using BotEngine.Storage.Workplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Api;

/// <summary>
/// What the operator workplace (/operator) reads and does beyond the dialog API: its grouped list, taking a waiting
/// dialog, the client card, suggestions, sending a KB article, answer templates.
/// </summary>
public static partial class WorkplaceEndpoints
{
    private const int PreviousDialogsShown = 20;
    private const int MaxTemplateText = 4000;

    public static IEndpointRouteBuilder MapWorkplaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("workplace").RequireAuthorization();
        // Supervisors read it too: their own dialogs (none, without handle_dialogs) and the whole queue.
        api.MapGet("/workplace/dialogs", ListAsync).RequirePermission(Permission.HandleDialogs, Permission.ViewDialogsSearch, Permission.ViewMonitoring);
        api.MapPost("/dialogs/{id}/take", (string id, HttpContext http, OperatorDesk desk, CancellationToken ct) =>
            DeskResults.Run(() => desk.TakeAsync(http.User.OperatorId(), id, ct)))
            .RequirePermission(Permission.HandleDialogs);
        api.MapGet("/dialogs/{id}/client", ClientCardAsync)
            .RequirePermission(Permission.HandleDialogs, Permission.ViewDialogsSearch, Permission.ViewMonitoring);
        api.MapGet("/dialogs/{id}/suggestions", SuggestionsAsync).RequirePermission(Permission.ViewKb);
        api.MapPost("/dialogs/{id}/articles/{articleId}", SendArticleAsync).RequirePermission(Permission.HandleDialogs);
        api.MapGet("/templates", ListTemplatesAsync).RequirePermission(Permission.HandleDialogs);
        api.MapPost("/templates", CreateTemplateAsync).RequirePermission(Permission.HandleDialogs);
        api.MapPut("/templates/{id}", UpdateTemplateAsync).RequirePermission(Permission.HandleDialogs);
        api.MapDelete("/templates/{id}", DeleteTemplateAsync).RequirePermission(Permission.HandleDialogs);
        api.MapWorkplaceActions();
        return app;
    }

    private static async Task<Ok<WorkplaceListDto>> ListAsync(HttpContext http, DialogViewStore dialogs, WorkplaceStore workplace,
        CallCentreStore callCentres, OperatorStore operators, Database database, IOptions<WorkplaceOptions> options, TimeProvider time,
        BotEngine.Engine.Channels.ChannelDirectory channels, CancellationToken ct)
    {
        var access = DialogAccess.Of(http.User);
        var mine = await dialogs.ListAsync([DialogStates.Assigned, DialogStates.Active], access.OperatorId, 200, access.Scope, ct);
        var me = await operators.FindAsync(access.OperatorId, ct);
        var now = time.GetUtcNow();
        // Waiting dialogs this operator could take (all of them for supervisors), in the order routing serves them.
        var queuedRows = await database.ReadAsync(c => QueueReading.QueuedAsync(c, null), ct);
        var byId = queuedRows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var routing = me is null ? null : HandoffStore.Routing(me);
        var queue = Router.Order(queuedRows.Select(QueueReading.ToQueued).OfType<QueuedDialog>(), now)
            .Where(q => access.SeesAll || (routing is not null && Fits(routing, q, access.OperatorId, now)))
            .Select(q => byId[q.DialogId])
            .ToList();
        var summaries = await workplace.SummariesAsync([.. mine.Select(d => d.Id), .. queue.Select(d => d.Id)], ct);
        var targets = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var mineDtos = new List<WorkplaceDialogDto>();
        foreach (var row in mine)
        {
            var centre = row.CallCentre ?? CallCentres.Default;
            if (!targets.TryGetValue(centre, out var target))
                targets[centre] = target = (await callCentres.LoadSettingsAsync(centre, ct)).Timers.OperatorResponseTimeout ?? options.Value.ResponseTarget;
            var channelType = channels.TypeOf(row.Channel);
            if (channelType == "email")
                target = options.Value.EmailResponseTarget;
            var timer = DialogTimerStore.ReadState(row);
            mineDtos.Add(ToDto(row, summaries) with
            {
                ChannelType = channelType,
                AwaitingReplySince = timer.AwaitingOperatorSince,
                ResponseDueAt = timer.AwaitingOperatorSince + target,
                Hold = timer.Hold is { } hold ? (hold.Kind == HoldKind.Operator ? "operator" : "client") : null,
                HoldStartedAt = timer.Hold?.StartedAt,
                Note = HandoffStore.ToDialog(row).PendingNote,
            });
        }
        return TypedResults.Ok(new WorkplaceListDto(mineDtos, [.. queue.Select(r => ToDto(r, summaries))], options.Value.AmberBefore.TotalSeconds));
    }

    private static bool Fits(RoutingProfile routing, QueuedDialog queued, string operatorId, DateTimeOffset now)
    {
        var r = queued.Requirements.EffectiveAt(queued.QueuedAt, now);
        return r.TargetOperator is null ? routing.Matches(r) && !r.ExcludedOperators.Contains(operatorId) : r.TargetOperator == operatorId;
    }

    private static WorkplaceDialogDto ToDto(StoredDialog d, Dictionary<string, DialogSummaryRow> summaries)
    {
        var summary = summaries.GetValueOrDefault(d.Id);
        return new WorkplaceDialogDto(d.Id, d.State, d.Channel, d.ClientId, summary?.ClientName, d.Language, d.CallCentre, d.Line,
            TimeExtensions.FromMicros(d.OpenedAt), Optional(d.QueuedAt), Optional(d.AssignedAt), TimeExtensions.FromMicros(d.LastMessageAt),
            Preview(summary?.LastText), summary?.LastAuthor, summary?.ClientMessages ?? 0) { ConversationId = d.ConversationId };
    }

    private static string? Preview(string? text) => text is null ? null : text.Length <= 140 ? text : text[..140] + "…";

    private static DateTimeOffset? Optional(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;

    private static async Task<Results<Ok<ClientCardDto>, ProblemHttpResult>> ClientCardAsync(string id, HttpContext http, DialogViewStore dialogs,
        WorkplaceStore workplace, CallCentreStore callCentres, KnowledgeRuntime knowledge, DialogTopicStore topicStore, CancellationToken ct)
    {
        var row = await dialogs.FindAsync(id, ct);
        if (row is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Dialog '{id}' does not exist.");
        var access = DialogAccess.Of(http.User);
        if (!await access.CanReadAsync(dialogs, id, ct))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"Dialog '{id}' is not one you hold or were offered.");
        var channels = await workplace.ChannelsAsync(row.ClientId, ct);
        var others = new List<PreviousDialogDto>();
        foreach (var other in await workplace.OtherDialogsAsync(row.ClientId, id, PreviousDialogsShown, ct))
        {
            // Only what this reader may open is listed (view_client or the supervisors' permissions show them all).
            if (await dialogs.IsVisibleAsync(other.Id, access.Scope, ct))
                others.Add(new PreviousDialogDto(other.Id, other.Channel, other.State, TimeExtensions.FromMicros(other.OpenedAt), Optional(other.ClosedAt), other.CloseTopic));
        }
        var settings = await callCentres.LoadSettingsAsync(row.CallCentre ?? CallCentres.Default, ct);
        var topics = knowledge.Document.Topics.Select(t => new TopicDto(t.Id, t.Name)).ToList();
        var chosen = row.CloseTopic ?? await topicStore.FindAsync(id, ct);
        return TypedResults.Ok(new ClientCardDto(row.ClientId, await workplace.ClientNameAsync(row.ClientId, ct),
            [.. channels.Select(c => new ClientChannelDto(c.Channel, c.AccountId, c.DisplayName))], others,
            BotResponder.ReadState(row.BotState).Slots, settings.Timers.HoldPatterns, topics, chosen)
        {
            SuggestedTopic = chosen is null ? await GuessTopicAsync(id, dialogs, knowledge, ct) : null,
        });
    }

    /// <summary>The first topic of the article the classifier picks for the client's last message, by the topic's name.</summary>
    private static async Task<string?> GuessTopicAsync(string dialogId, DialogViewStore dialogs, KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var transcript = await dialogs.TranscriptAsync(dialogId, ct);
        var texts = transcript.Where(m => m.Author == Authors.Client && !string.IsNullOrWhiteSpace(m.Text)).Select(m => m.Text!).ToList();
        if (texts.Count == 0)
            return null;
        var document = knowledge.Document;
        foreach (var candidate in knowledge.Matcher.Suggest(texts[^1], 3))
        {
            var article = document.Articles.FirstOrDefault(a => a.Id == candidate.ArticleId);
            if (article?.Topics.FirstOrDefault() is { } topicId && document.Topics.FirstOrDefault(t => t.Id == topicId) is { } topic)
                return topic.Name;
        }
        return null;
    }

    private static async Task<Results<Ok<SuggestionsDto>, ProblemHttpResult>> SuggestionsAsync(string id, HttpContext http, DialogViewStore dialogs,
        KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var row = await dialogs.FindAsync(id, ct);
        if (row is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Dialog '{id}' does not exist.");
        if (!await DialogAccess.Of(http.User).CanReadAsync(dialogs, id, ct))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"Dialog '{id}' is not one you hold or were offered.");
        var transcript = await dialogs.TranscriptAsync(id, ct);
        var last = transcript.LastOrDefault(m => m.Author == Authors.Client && !string.IsNullOrWhiteSpace(m.Text))?.Text;
        if (last is null)
            return TypedResults.Ok(new SuggestionsDto(null, []));
        var articles = knowledge.Document.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var context = BotResponder.ContextOf(row);
        // The bot's own matcher: a KB phrasing or an editor's label comes first, as it would in the bot's answer.
        var items = knowledge.Matcher.Suggest(last, 3)
            .Where(p => articles.TryGetValue(p.ArticleId, out var a) && ArticleAccessFilter.IsOffered(a.Access, row.Language, context) && FirstSendable(a) is not null)
            .Select(p => articles[p.ArticleId] is var a ? new SuggestionDto(a.Id, a.Title, Math.Round(p.Confidence, 4), Preview(FirstSendable(a)?.Text) ?? "") : null!)
            .ToList();
        return TypedResults.Ok(new SuggestionsDto(last, items));
    }

    /// <summary>Answers an operator can send: not commands (/operator, /redirect, /close), which are the bot's to run.</summary>
    private static IEnumerable<Answer> Sendable(Article article) => article.Answers.Where(a => !a.Text.TrimStart().StartsWith('/') || a.Buttons.Count > 0);

    private static Answer? FirstSendable(Article article) => Sendable(article).FirstOrDefault();

    private static async Task<Results<Ok<List<MessageDto>>, ProblemHttpResult>> SendArticleAsync(string id, string articleId, HttpContext http,
        OperatorDesk desk, KnowledgeRuntime knowledge, BotResponder responder, DialogViewStore dialogs, CancellationToken ct)
    {
        var article = knowledge.Document.Articles.FirstOrDefault(a => a.Id == articleId);
        if (article is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"articleId: article '{articleId}' does not exist.");
        var row = await dialogs.FindAsync(id, ct);
        var language = row?.Language ?? "ru";
        var activities = Sendable(article)
            .Select(a => responder.ToActivity(new OutgoingMessage(a.Text.TrimStart().StartsWith('/') ? "" : a.Text, a.Buttons, a.Attachments, article.Id), language))
            .ToList();
        var sent = await desk.SendArticleAsync(http.User.OperatorId(), id, articleId, activities, ct);
        return TypedResults.Ok(sent.Select(m => new MessageDto(m.Id, m.Direction, m.Author, m.AuthorId, m.Text, TimeExtensions.FromMicros(m.CreatedAt),
            System.Text.Json.JsonDocument.Parse(m.Activity).RootElement)).ToList());
    }

    private static async Task<Ok<List<TemplateDto>>> ListTemplatesAsync(HttpContext http, AnswerTemplateStore templates, CancellationToken ct) =>
        TypedResults.Ok((await templates.ListAsync(http.User.OperatorId(), ct)).Select(ToDto).ToList());

    private static async Task<Results<Created<TemplateDto>, ProblemHttpResult>> CreateTemplateAsync(TemplateRequest? request, HttpContext http,
        AnswerTemplateStore templates, TimeProvider time, CancellationToken ct)
    {
        if (Invalid(request, http) is { } problem)
            return problem;
        var now = TimeExtensions.ToMicros(time.GetUtcNow());
        var me = http.User.OperatorId();
        var row = new AnswerTemplateRow
        {
            Id = Ids.New(), OwnerId = request!.Shared == true ? null : me, Title = request.Title!.Trim(), Text = request.Text!,
            Shortcut = Normalized(request.Shortcut), Hotkey = request.Hotkey, CreatedBy = me, CreatedAt = now, UpdatedAt = now,
        };
        await templates.InsertAsync(row, ct);
        return TypedResults.Created($"/api/v1/templates/{row.Id}", ToDto(row));
    }

    private static async Task<Results<Ok<TemplateDto>, ProblemHttpResult>> UpdateTemplateAsync(string id, TemplateRequest? request, HttpContext http,
        AnswerTemplateStore templates, TimeProvider time, CancellationToken ct)
    {
        var existing = await templates.FindAsync(id, ct);
        if (existing is null || !MayChange(existing, http))
            return TemplateNotFound(id);
        if (Invalid(request, http) is { } problem)
            return problem;
        var row = existing with
        {
            OwnerId = request!.Shared == true ? null : existing.OwnerId ?? http.User.OperatorId(),
            Title = request.Title!.Trim(), Text = request.Text!, Shortcut = Normalized(request.Shortcut), Hotkey = request.Hotkey,
            UpdatedAt = TimeExtensions.ToMicros(time.GetUtcNow()),
        };
        return await templates.UpdateAsync(row, ct) ? TypedResults.Ok(ToDto(row)) : TemplateNotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplateAsync(string id, HttpContext http, AnswerTemplateStore templates, CancellationToken ct)
    {
        var existing = await templates.FindAsync(id, ct);
        if (existing is null || !MayChange(existing, http))
            return TemplateNotFound(id);
        return await templates.DeleteAsync(id, ct) ? TypedResults.NoContent() : TemplateNotFound(id);
    }

    /// <summary>One's own templates, and the shared ones for supervisors; another operator's are not even shown to exist.</summary>
    private static bool MayChange(AnswerTemplateRow row, HttpContext http) =>
        row.OwnerId is null ? http.User.Has(Permission.ViewMonitoring) : row.OwnerId == http.User.OperatorId();

    private static ProblemHttpResult? Invalid(TemplateRequest? request, HttpContext http)
    {
        static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);
        if (request is null)
            return Bad("Send {\"title\", \"text\", \"shortcut\", \"hotkey\", \"shared\"}.");
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 100)
            return Bad("title: required, up to 100 characters.");
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxTemplateText)
            return Bad($"text: required, up to {MaxTemplateText} characters.");
        if (Normalized(request.Shortcut) is { } shortcut && !ShortcutPattern().IsMatch(shortcut))
            return Bad("shortcut: letters, digits, _ and -, up to 30 characters (typed after '/').");
        if (request.Hotkey is < 1 or > 9)
            return Bad("hotkey: 1 to 9 (Alt+digit), or leave it out.");
        if (request.Shared == true && !http.User.Has(Permission.ViewMonitoring))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "shared: a shared template needs view_monitoring.");
        return null;
    }

    private static string? Normalized(string? shortcut) => string.IsNullOrWhiteSpace(shortcut) ? null : shortcut.Trim().TrimStart('/');

    private static ProblemHttpResult TemplateNotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Template '{id}' does not exist or is not yours to change.");

    private static TemplateDto ToDto(AnswerTemplateRow row) =>
        new(row.Id, row.Title, row.Text, row.Shortcut, row.Hotkey, row.OwnerId is null, TimeExtensions.FromMicros(row.UpdatedAt));

    [GeneratedRegex(@"^[\p{L}\p{Nd}_-]{1,30}$")]
    private static partial Regex ShortcutPattern();
}
