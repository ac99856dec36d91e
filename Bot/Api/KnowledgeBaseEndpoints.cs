using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Engine.Learning;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;
using BotEngine.KnowledgeBase;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Api;

/// <summary>
/// The knowledge base editor API under /api/v1/kb, search, and the external agents' callback API.
/// Every change is validated as a whole document (errors name the field), stored in one transaction, and then
/// served at once: the runner and the search index use the new KB before the response is sent. The intent
/// classifier is retrained in the background (seconds); until then an article's phrasings are matched exactly.
/// <c>GET /api/v1/kb/status</c> shows when <c>classifierRevision</c> has caught up with <c>revision</c>.
/// </summary>
public static class KnowledgeBaseEndpoints
{
    private const Permission View = Permission.ViewKb;
    private const Permission Modify = Permission.ModifyKnowledgebase;
    private const string CallbackIdHeader = "X-BotEngine-Callback-Id";
    private const int MaxAgentBody = 1 << 20;

    private sealed record Entity<T>(
        string Collection, string What, string IdField,
        Func<KbDocument, List<T>> Items, Func<T, string> Id, Action<T, string> SetId,
        Func<KbDocument, T, KbChange> Upsert, Func<KbDocument, string, KbChange> Delete)
    {
        /// <summary>How an item is shown in responses (agents without their secrets).</summary>
        public Func<T, T> Shown { get; init; } = item => item;

        /// <summary>False when another module maps the collection's list (articles: the editor's paged table).</summary>
        public bool MapList { get; init; } = true;
    }

    public static IEndpointRouteBuilder MapKnowledgeBaseApi(this IEndpointRouteBuilder app)
    {
        var kb = app.MapGroup("/api/v1/kb").WithTags("knowledge base").RequireAuthorization();
        kb.MapGet("/export", ExportAsync).RequirePermission(View);
        kb.MapPost("/import", ImportAsync).WithBodyLimit(BodyLimit.KbImport).RequirePermission(Modify).Accepts<KbDocument>("application/json");
        kb.MapGet("/status", (KnowledgeRuntime k) => TypedResults.Ok(ToDto(k.Status))).RequirePermission(View);
        kb.MapGet("/search", Search).RequirePermission(View);
        kb.MapGet("/suggest", Suggest).RequirePermission(View);
        kb.MapGet("/settings", (KnowledgeRuntime k) => TypedResults.Ok(k.Document.Settings)).RequirePermission(View);
        kb.MapPut("/settings", PutSettingsAsync).RequirePermission(Modify).Accepts<KbSettings>("application/json");

        MapEntity(kb, new Entity<Article>("articles", "article", "id", d => d.Articles, a => a.Id, (a, id) => a.Id = id, KbEditor.UpsertArticle, KbEditor.DeleteArticle)
        {
            MapList = false,
        });
        kb.MapKbEditorApi();
        MapEntity(kb, new Entity<RecordType>("record-types", "record type", "id", d => d.RecordTypes, r => r.Id, (r, id) => r.Id = id, KbEditor.UpsertRecordType, KbEditor.DeleteRecordType));
        MapEntity(kb, new Entity<Topic>("topics", "topic", "id", d => d.Topics, t => t.Id, (t, id) => t.Id = id, KbEditor.UpsertTopic, KbEditor.DeleteTopic));
        MapEntity(kb, new Entity<SlotDefinition>("slots", "slot", "id", d => d.Slots, s => s.Id, (s, id) => s.Id = id, KbEditor.UpsertSlot, KbEditor.DeleteSlot));
        MapEntity(kb, new Entity<ExternalAgent>("agents", "external agent", "id", d => d.Agents, a => a.Id, (a, id) => a.Id = id, KbEditor.UpsertAgent, KbEditor.DeleteAgent)
        {
            Shown = KbSecrets.Redact,
        });
        MapEntity(kb, new Entity<BusinessCalendar>("calendars", "calendar", "callCentre", d => d.Calendars, c => c.CallCentre, (c, id) => c.CallCentre = id, KbEditor.UpsertCalendar, KbEditor.DeleteCalendar));

        app.MapPost("/api/v1/agents/{agentId}/dialogs/{dialogId}/actions", AgentActionsAsync)
            .WithTags("external agents").AllowPublic("the agent's HMAC signature of the body").Accepts<AgentResponse>("application/json");
        app.MapGet("/api/v1/callback-requests", ListCallbackRequestsAsync).WithTags("api").RequirePermission(Permission.ViewClient);
        return app;
    }

    private static void MapEntity<T>(RouteGroupBuilder kb, Entity<T> entity) where T : class
    {
        var group = kb.MapGroup("/" + entity.Collection);
        if (entity.MapList)
            group.MapGet("", (KnowledgeRuntime k) => TypedResults.Ok(entity.Items(k.Document).Select(entity.Shown).ToList())).RequirePermission(View);

        group.MapGet("/{id}", Results<Ok<T>, ProblemHttpResult> (string id, KnowledgeRuntime k) =>
            Find(entity, k.Document, id) is { } item ? TypedResults.Ok(entity.Shown(item)) : NotFound(entity, id)).RequirePermission(View);

        group.MapPost("", async Task<Results<Created<T>, ProblemHttpResult>> (HttpRequest request, ClaimsPrincipal user, KnowledgeRuntime k, FileStore files, CancellationToken ct) =>
        {
            var (item, problem) = await ReadBodyAsync<T>(request, files, ct);
            if (problem is not null)
                return problem;
            var id = entity.Id(item!);
            var (change, _) = await k.ChangeAsync(doc => Find(entity, doc, id) is not null
                ? Refused(KbValidationError.Of(entity.IdField, "exists", $"{entity.What} '{id}' already exists; use PUT to change it", id))
                : entity.Upsert(doc, item!), user.Identity?.Name, ct);
            if (!change.Succeeded)
                return Invalid(change, change.Errors.Any(e => e.Code == "exists" && e.Path == entity.IdField) ? 409 : 400);
            return TypedResults.Created($"/api/v1/kb/{entity.Collection}/{Uri.EscapeDataString(id)}", entity.Shown(Find(entity, change.Document!, id)!));
        }).RequirePermission(Modify).Accepts<T>("application/json");

        group.MapPut("/{id}", async Task<Results<Ok<T>, ProblemHttpResult>> (string id, HttpRequest request, ClaimsPrincipal user, KnowledgeRuntime k, FileStore files, CancellationToken ct) =>
        {
            var (item, problem) = await ReadBodyAsync<T>(request, files, ct);
            if (problem is not null)
                return problem;
            if (string.IsNullOrEmpty(entity.Id(item!)))
                entity.SetId(item!, id);
            else if (entity.Id(item!) != id)
                return Invalid([KbValidationError.Of(entity.IdField, "id_mismatch", $"'{entity.Id(item!)}' does not match '{id}' in the URL", id)], 400);
            var (change, _) = await k.ChangeAsync(doc => entity.Upsert(doc, item!), user.Identity?.Name, ct);
            return change.Succeeded ? TypedResults.Ok(entity.Shown(Find(entity, change.Document!, id)!)) : Invalid(change, 400);
        }).RequirePermission(Modify).Accepts<T>("application/json");

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, KnowledgeRuntime k, CancellationToken ct) =>
        {
            var missing = false;
            var (change, _) = await k.ChangeAsync(doc =>
            {
                missing = Find(entity, doc, id) is null;
                return entity.Delete(doc, id);
            }, user.Identity?.Name, ct);
            if (missing)
                return NotFound(entity, id);
            // Refused while something refers to it: the errors name the referring fields.
            return change.Succeeded ? TypedResults.NoContent() : Invalid(change, 409);
        }).RequirePermission(Modify);
    }

    /// <summary>The KB document (agents' secrets as a placeholder); when answers refer to stored files, with a <c>files</c> section carrying them.</summary>
    private static async Task<ContentHttpResult> ExportAsync(KnowledgeRuntime knowledge, FileStore files, CancellationToken ct) =>
        TypedResults.Text(await KbFileBundle.ExportAsync(KbSecrets.Redact(knowledge.Document), files, ct), "application/json", Encoding.UTF8);

    /// <summary>
    /// Merges (or with <c>replace=true</c> replaces) the KB with the document in the body. With <c>dryRun=true</c> nothing
    /// is stored: the answer lists what would be added, changed and removed (or the errors that would refuse it).
    /// </summary>
    private static async Task<Results<Ok<KbRevisionDto>, Ok<List<KbItemChange>>, ProblemHttpResult>> ImportAsync(HttpRequest request, ClaimsPrincipal user, bool? replace, bool? dryRun, KnowledgeRuntime knowledge,
        FileStore files, IOptions<FilesOptions> fileOptions, CancellationToken ct)
    {
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(body))
            return Invalid([new KbValidationError("$", "the body must be a knowledge base document (JSON)")], 400);
        var (json, bundled, bundleError) = KbFileBundle.Split(body, fileOptions.Value);
        if (bundleError is not null)
            return Invalid([bundleError], 400);
        if (KbJson.TryParse(json, out var incoming, out _)
            && await KbFileBundle.CheckAsync(KbFileReferences.In(incoming!).ToList(), files, bundled, fill: false, ct) is { Count: > 0 } missing)
            return Invalid(missing, 400);
        if (dryRun == true)
        {
            var trial = KbImport.Import(knowledge.Document, json, replace ?? false);
            return trial.Succeeded ? TypedResults.Ok(KbDiff.Changes(knowledge.Document, trial.Document!).ToList()) : Invalid(trial, 400);
        }
        if (bundled.Count > 0)
        {
            // The files are stored before the KB that refers to them, so an invalid document is refused before either.
            var check = KbImport.Import(knowledge.Document, json, replace ?? false);
            if (!check.Succeeded)
                return Invalid(check, 400);
            var clashes = await files.ImportAsync(bundled.Values.ToList(), ct);
            if (clashes.Count > 0)
                return Invalid(clashes.Select(id => new KbValidationError($"{KbFileBundle.Section}[{bundled.Keys.ToList().IndexOf(id)}].id",
                    $"another file is stored under '{id}'")).ToList(), 409);
        }
        // A malformed or invalid document is refused before anything is stored: the KB stays as it was.
        var (change, revision) = await knowledge.ChangeAsync(doc => KbImport.Import(doc, json, replace ?? false), user.Identity?.Name, ct);
        if (!change.Succeeded)
            return Invalid(change, 400);
        return TypedResults.Ok(new KbRevisionDto(revision, knowledge.Status.ClassifierRevision, change.Document!.Articles.Count));
    }

    private static async Task<Results<Ok<KbSettings>, ProblemHttpResult>> PutSettingsAsync(HttpRequest request, KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var (settings, problem) = await ReadBodyAsync<KbSettings>(request, ct);
        if (problem is not null)
            return problem;
        var (change, _) = await knowledge.ChangeAsync(doc =>
        {
            var copy = KbJson.Clone(doc);
            copy.Settings = settings!;
            return KbImport.Replace(copy);
        }, ct);
        return change.Succeeded ? TypedResults.Ok(change.Document!.Settings) : Invalid(change, 400);
    }

    private static Results<Ok<IReadOnlyList<KbSearchHit>>, ProblemHttpResult> Search(
        string? q, string? recordType, string? language, string? callCentre, string? line, string? skill, int? limit, KnowledgeRuntime knowledge)
    {
        if (string.IsNullOrWhiteSpace(q))
            return BadRequest("q: required (the text to search for).");
        if (limit is < 1 or > 100)
            return BadRequest("limit: between 1 and 100.");
        return TypedResults.Ok(knowledge.Search.Search(q, Filter(recordType, language, callCentre, line, skill), limit ?? 10));
    }

    private static Results<Ok<IReadOnlyList<KbSuggestion>>, ProblemHttpResult> Suggest(
        string? q, string? recordType, string? language, int? limit, KnowledgeRuntime knowledge)
    {
        if (string.IsNullOrWhiteSpace(q))
            return BadRequest("q: required (what the user has typed so far).");
        if (limit is < 1 or > 50)
            return BadRequest("limit: between 1 and 50.");
        // The bot's exact phrasings and editors' labels name the article a typed client text means: it comes first.
        var known = knowledge.Matcher.ExactArticle(q) is { } exact && exact != TrainingSet.OutOfScope ? exact : null;
        return TypedResults.Ok(knowledge.Search.Suggest(q, limit ?? 10, Filter(recordType, language, null, null, null), known));
    }

    private static KbSearchFilter Filter(string? recordType, string? language, string? callCentre, string? line, string? skill) => new()
    {
        RecordTypes = Split(recordType),
        Language = string.IsNullOrWhiteSpace(language) ? null : language.Trim(),
        CallCentre = string.IsNullOrWhiteSpace(callCentre) ? null : callCentre.Trim(),
        Line = string.IsNullOrWhiteSpace(line) ? null : line.Trim(),
        Skills = Split(skill),
    };

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>An agent's asynchronous answer. Authenticated by the HMAC signature with the agent's secret, not by an operator token.</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> AgentActionsAsync(
        string agentId, string dialogId, HttpRequest request, KnowledgeRuntime knowledge, AgentCallbacks callbacks, CancellationToken ct)
    {
        var agent = knowledge.Document.Agents.FirstOrDefault(a => a.Id == agentId);
        if (agent is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"agentId: external agent '{agentId}' is not registered.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxAgentBody)
            return BadRequest($"body: larger than {MaxAgentBody} bytes.");
        var body = buffer.ToArray();
        if (!AgentSignature.Verify(agent.Secret, body, request.Headers[AgentSignature.HeaderName].FirstOrDefault()))
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized",
                detail: $"{AgentSignature.HeaderName}: missing or does not match the body (expected sha256=<hex HMAC-SHA256 of the raw body under the agent's secret>).");
        if (!AgentJson.TryParseResponse(body, out var response, out var error))
            return BadRequest(error!);
        var callbackId = request.Headers[CallbackIdHeader].FirstOrDefault();
        return await callbacks.ApplyAsync(agentId, dialogId, response!, string.IsNullOrWhiteSpace(callbackId) ? null : callbackId, ct) switch
        {
            CallbackOutcome.Applied or CallbackOutcome.Duplicate => TypedResults.Accepted((string?)null),
            CallbackOutcome.UnknownDialog => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"dialogId: dialog '{dialogId}' does not exist."),
            _ => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"dialogId: external agent '{agentId}' does not own dialog '{dialogId}' (any more)."),
        };
    }

    private static async Task<Results<Ok<List<CallbackRequestDto>>, ProblemHttpResult>> ListCallbackRequestsAsync(string? state, CallbackRequestStore callbackRequests, CancellationToken ct)
    {
        var rows = await callbackRequests.ListAsync(state, ct);
        return TypedResults.Ok(rows.Select(r => new CallbackRequestDto(r.Id, r.DialogId, r.ClientId, r.Line,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Contacts) ?? [], r.State, TimeExtensions.FromMicros(r.CreatedAt))).ToList());
    }

    private static T? Find<T>(Entity<T> entity, KbDocument doc, string id) where T : class =>
        entity.Items(doc).FirstOrDefault(item => entity.Id(item) == id);

    /// <summary>Reads a body strictly (unknown fields and nulls in lists are errors), naming the JSON path of a problem.</summary>
    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest request, FileStore files, CancellationToken ct) where T : class
    {
        var (value, problem) = await ReadBodyAsync<T>(request, ct);
        if (value is null)
            return (value, problem);
        // Attachments naming stored files must name existing ones; they take the stored file's type (and name if unset).
        var missing = await KbFileBundle.CheckAsync(KbFileReferences.InEntity(value).ToList(), files, null, fill: true, ct);
        return missing.Count > 0 ? (null, Invalid(missing, 400)) : (value, null);
    }

    internal static async Task<(T? Value, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        var json = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(json))
            return (null, Invalid([KbValidationError.Of("$", "body_required", "a JSON body is required")], 400));
        try
        {
            if (KbJson.NullListItem(json) is { } nullItem)
                return (null, Invalid([KbValidationError.Of(nullItem.TrimStart('$').TrimStart('.'), "null_item", KbJson.NullItemMessage)], 400));
            var value = JsonSerializer.Deserialize<T>(json, KbJson.Options);
            return value is null ? (null, Invalid([KbValidationError.Of("$", "body_required", "a JSON object is required")], 400)) : (value, null);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$').TrimStart('.');
            var message = e.Message.IndexOf(" Path:", StringComparison.Ordinal) is var cut and > 0 ? e.Message[..cut] : e.Message;
            return (null, Invalid([KbValidationError.Of(path, "json", message, message)], 400));
        }
    }

    private static KbChange Refused(KbValidationError error) => new(null, [error]);

    private static ProblemHttpResult Invalid(KbChange change, int status) => Invalid(change.Errors, status);

    internal static ProblemHttpResult Invalid(IReadOnlyList<KbValidationError> errors, int status) =>
        TypedResults.Problem(
            statusCode: status,
            title: status == 409 ? "Conflict" : "Invalid knowledge base change",
            detail: string.Join("; ", errors.Select(e => e.ToString())),
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new ValidationErrorDto(e.Path, e.Message, e.Code, e.Value)).ToList() });

    private static ProblemHttpResult NotFound<T>(Entity<T> entity, string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"{entity.IdField}: {entity.What} '{id}' does not exist.");

    internal static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);

    private static KbRevisionDto ToDto(KnowledgeStatus status) => new(status.Revision, status.ClassifierRevision, status.Articles);
}
