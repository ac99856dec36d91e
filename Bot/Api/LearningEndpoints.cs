using System.Globalization;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Bot.Web;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Learning;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// The learning loop's API (all <c>modify_knowledgebase</c>): the labelling inbox and its actions, labels (the stored
/// training examples), and the model registry with training runs and promotion.
/// </summary>
public static class LearningEndpoints
{
    public const int MaxPage = 200;

    public static void MapLearningApi(this IEndpointRouteBuilder app)
    {
        var labelling = app.MapGroup("/api/v1/labelling").WithTags("labelling");
        labelling.MapGet("/inbox", InboxAsync).RequirePermission(Permission.ModifyKnowledgebase);
        labelling.MapPost("/skip", SkipAsync).RequirePermission(Permission.ModifyKnowledgebase);
        labelling.MapPost("/dialogs/{dialogId}/checked", CheckAsync).RequirePermission(Permission.ModifyKnowledgebase);
        // The examples under their first name (the workplace's tests read operator choices here).
        labelling.MapGet("/examples", ExamplesAsync).RequirePermission(Permission.ModifyKnowledgebase);
        labelling.MapDelete("/examples/{id}", DeleteExampleAsync).RequirePermission(Permission.ModifyKnowledgebase);

        var nlu = app.MapGroup("/api/v1/nlu").WithTags("nlu");
        nlu.MapPost("/labels", LabelAsync).RequirePermission(Permission.ModifyKnowledgebase);
        nlu.MapGet("/labels", ExamplesAsync).RequirePermission(Permission.ModifyKnowledgebase);
        nlu.MapDelete("/labels/{id}", DeleteExampleAsync).RequirePermission(Permission.ModifyKnowledgebase);
        nlu.MapGet("/models", ModelsAsync).RequirePermission(Permission.ModifyKnowledgebase);
        nlu.MapGet("/models/{id}/report", ReportAsync).RequirePermission(Permission.ModifyKnowledgebase).Produces(200, contentType: "text/html");
        nlu.MapPost("/models/{id}/promote", PromoteAsync).RequirePermission(Permission.ModifyKnowledgebase);
        nlu.MapPost("/training-runs", Train).RequirePermission(Permission.ModifyKnowledgebase);
    }

    private static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> InboxAsync(LabellingInbox inbox, string? from, string? to, string? language,
        string? line, int? offset, int? limit, CancellationToken ct)
    {
        if (!TryTime(from, out var since))
            return BadRequest($"from: '{from}' is not a date and time (ISO 8601, e.g. 2026-11-29T00:00:00Z).");
        if (!TryTime(to, out var until))
            return BadRequest($"to: '{to}' is not a date and time (ISO 8601, e.g. 2026-11-30T00:00:00Z).");
        if (offset is < 0)
            return BadRequest("offset: must be 0 or more.");
        if (limit is < 1 or > MaxPage)
            return BadRequest($"limit: must be between 1 and {MaxPage}.");
        var filter = new MissFilter(since, until, string.IsNullOrWhiteSpace(language) ? null : language, string.IsNullOrWhiteSpace(line) ? null : line);
        return TypedResults.Ok(await inbox.PageAsync(filter, offset ?? 0, limit ?? 50, ct));
    }

    private static async Task<Results<Created<LabelResultDto>, ProblemHttpResult>> LabelAsync(LabelRequest? request, HttpContext context, Labelling labelling,
        CancellationToken ct)
    {
        if (request is null)
            return BadRequest("body: a JSON object with \"text\", \"messageId\" or \"messageIds\", and \"articleId\" or \"outOfScope\": true.");
        var given = (request.Text is not null ? 1 : 0) + (request.MessageId is not null ? 1 : 0) + (request.MessageIds is not null ? 1 : 0);
        if (given != 1)
            return BadRequest("text: give exactly one of \"text\", \"messageId\" and \"messageIds\".");
        var outOfScope = request.OutOfScope == true;
        IReadOnlyList<TrainingExampleRow> examples = request.Text is not null
            ? [await labelling.LabelTextAsync(request.Text, request.Language, request.ArticleId, outOfScope, context.User.OperatorId(), ct)]
            : await labelling.LabelAsync(request.MessageIds ?? [request.MessageId!], request.ArticleId, outOfScope, context.User.OperatorId(), ct);
        return TypedResults.Created("/api/v1/nlu/labels", new LabelResultDto(examples.Count, examples.Select(ToDto).ToList()));
    }

    private static async Task<Ok<SkipResultDto>> SkipAsync(SkipRequest? request, HttpContext context, Labelling labelling, CancellationToken ct) =>
        TypedResults.Ok(new SkipResultDto(await labelling.SkipAsync(request?.MessageIds, context.User.OperatorId(), ct)));

    private static async Task<NoContent> CheckAsync(string dialogId, HttpContext context, Labelling labelling, CancellationToken ct)
    {
        await labelling.CheckDialogAsync(dialogId, context.User.OperatorId(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ExamplePageDto>, ProblemHttpResult>> ExamplesAsync(TrainingExampleStore examples, int? offset, int? limit, CancellationToken ct)
    {
        if (offset is < 0)
            return BadRequest("offset: must be 0 or more.");
        if (limit is < 1 or > MaxPage)
            return BadRequest($"limit: must be between 1 and {MaxPage}.");
        var (page, total) = await examples.PageAsync(offset ?? 0, limit ?? 50, ct);
        return TypedResults.Ok(new ExamplePageDto(page.Select(ToDto).ToList(), total));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteExampleAsync(string id, Labelling labelling, CancellationToken ct) =>
        await labelling.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Training example '{id}' does not exist.");

    private static async Task<Ok<List<ModelDto>>> ModelsAsync(ModelRegistryStore registry, int? limit, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)).Select(ToDto).ToList());

    /// <summary>The model's report as an HTML page (<c>?lang=ru|en</c>, else the browser's language).</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReportAsync(string id, HttpContext context, ModelRegistryStore registry,
        KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var lang = context.Request.Query["lang"].ToString();
        if (lang.Length > 0 && lang is not ("ru" or "en"))
            return BadRequest($"lang: '{lang}' is not ru or en.");
        if (await registry.FindAsync(id, ct) is not { } model)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Model '{id}' does not exist.");
        return TypedResults.Content(ModelReport.Render(model, knowledge.Document, Pages.PickLanguage(context.Request)), "text/html; charset=utf-8");
    }

    /// <summary>Enqueues the same job the nightly schedule runs; answers its Hangfire id.</summary>
    private static Accepted<TrainJobDto> Train(IBackgroundJobClient jobs)
    {
        var jobId = jobs.Enqueue<ModelTraining>(t => t.RunAsync("api", CancellationToken.None));
        return TypedResults.Accepted("/api/v1/nlu/models", new TrainJobDto(jobId));
    }

    private static async Task<Results<Ok<ModelDto>, ProblemHttpResult>> PromoteAsync(string id, HttpContext context, ModelPromotion promotion, CancellationToken ct) =>
        await promotion.PromoteAsync(id, context.User.OperatorId(), ct) is { } model
            ? TypedResults.Ok(ToDto(model))
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Model '{id}' does not exist.");

    private static bool TryTime(string? value, out long? micros)
    {
        micros = null;
        if (string.IsNullOrWhiteSpace(value))
            return true;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return false;
        micros = TimeExtensions.ToMicros(at);
        return true;
    }

    private static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);

    private static TrainingExampleDto ToDto(TrainingExampleRow e) =>
        new(e.Id, e.Text, e.Language, e.ArticleId, e.ArticleId is null, e.Source, e.Weight, e.CreatedBy, TimeExtensions.FromMicros(e.CreatedAt), e.MessageId)
        {
            HeldOut = e.HeldOut is { } h ? h == 1 : null,
        };

    private static ModelDto ToDto(StoredModel m) =>
        new(m.Id, TimeExtensions.FromMicros(m.CreatedAt), m.Trigger, m.Status, m.Reason, m.KbRevision, m.KbExamples, m.LabelledExamples,
            JsonDocument.Parse(m.Metrics).RootElement, m.PromotedAt is { } p ? TimeExtensions.FromMicros(p) : null);
}
