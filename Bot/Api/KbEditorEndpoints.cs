using System.Security.Claims;
using BotEngine.Engine.Knowledge;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.KnowledgeBase;
using BotEngine.Storage.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// What the KB editor page needs besides the CRUD API: the paged articles table, the phrasing check, the phrasing
/// quality hints and "test the bot". All read-only (<c>view_kb</c>): trying a draft stores nothing.
/// </summary>
public static class KbEditorEndpoints
{
    public static RouteGroupBuilder MapKbEditorApi(this RouteGroupBuilder kb)
    {
        kb.MapGet("/articles", ListArticlesAsync).RequirePermission(Permission.ViewKb);
        kb.MapPost("/phrasing-check", CheckPhrasingsAsync).RequirePermission(Permission.ViewKb).Accepts<KbPhrasingCheckRequest>("application/json");
        kb.MapGet("/quality", (PhrasingQuality quality) => TypedResults.Ok(quality.Report())).RequirePermission(Permission.ViewKb);
        kb.MapPost("/trial", TryAsync).RequirePermission(Permission.ViewKb).Accepts<KbTrialRequest>("application/json");
        kb.MapGet("/articles/{id}/history", HistoryAsync).RequirePermission(Permission.ViewKb);
        kb.MapGet("/articles/{id}/history/{revision}", VersionAsync).RequirePermission(Permission.ViewKb);
        kb.MapPost("/articles/{id}/history/{revision}/restore", RestoreAsync).RequirePermission(Permission.ModifyKnowledgebase);
        return kb;
    }

    /// <summary>
    /// Without paging parameters, every article (the list as it always was); with any of them
    /// (<see cref="KbArticleQuery.Names"/>), a page of table rows and the cursor of the next page.
    /// </summary>
    private static async Task<Results<Ok<List<Article>>, Ok<KbArticlePage>, ProblemHttpResult>> ListArticlesAsync(
        HttpRequest request, KnowledgeRuntime knowledge, KbStore store, CancellationToken ct)
    {
        var kb = knowledge.Document;
        if (!KbArticleQuery.AsksForPage(request.Query))
            return TypedResults.Ok(kb.Articles);
        var (query, problem) = KbArticleQuery.Parse(request.Query);
        if (problem is not null)
            return KnowledgeBaseEndpoints.BadRequest(problem);
        var updated = await store.ArticleUpdateTimesAsync(ct);
        var (page, cursorProblem) = KbArticleListing.Page(kb, knowledge.Search, updated, query!);
        return page is null ? KnowledgeBaseEndpoints.BadRequest(cursorProblem!) : TypedResults.Ok(page);
    }

    /// <summary>Every stored version of an article, newest first; a deleted article's history stays readable.</summary>
    private static async Task<Results<Ok<List<KbArticleVersionDto>>, ProblemHttpResult>> HistoryAsync(string id, KbStore store, CancellationToken ct)
    {
        var versions = await store.ArticleHistoryAsync(id, ct);
        if (versions.Count == 0)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"id: article '{id}' has no history.");
        return TypedResults.Ok(versions.Select(v => new KbArticleVersionDto(v.Revision, v.Author, BotEngine.Storage.TimeExtensions.FromMicros(v.ChangedAt), v.Deleted)).ToList());
    }

    private static async Task<Results<Ok<Article>, ProblemHttpResult>> VersionAsync(string id, long revision, KbStore store, CancellationToken ct) =>
        await store.ArticleVersionAsync(id, revision, ct) is { } article ? TypedResults.Ok(article) : NoVersion(id, revision);

    /// <summary>The version becomes the article again (a new version in the history); refused, naming the fields, when it no longer fits the KB.</summary>
    private static async Task<Results<Ok<Article>, ProblemHttpResult>> RestoreAsync(
        string id, long revision, ClaimsPrincipal user, KnowledgeRuntime knowledge, KbStore store, CancellationToken ct)
    {
        if (await store.ArticleVersionAsync(id, revision, ct) is not { } version)
            return NoVersion(id, revision);
        var (change, _) = await knowledge.ChangeAsync(doc => KbEditor.UpsertArticle(doc, version), user.Identity?.Name, ct);
        if (!change.Succeeded)
            return KnowledgeBaseEndpoints.Invalid(change.Errors, 400);
        return TypedResults.Ok(change.Document!.Articles.First(a => a.Id == id));
    }

    private static ProblemHttpResult NoVersion(string id, long revision) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"revision: article '{id}' has no stored version {revision}.");

    private static async Task<Results<Ok<List<KbPhrasingIssue>>, ProblemHttpResult>> CheckPhrasingsAsync(HttpRequest request, KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var (body, problem) = await KnowledgeBaseEndpoints.ReadBodyAsync<KbPhrasingCheckRequest>(request, ct);
        if (problem is not null)
            return problem;
        return TypedResults.Ok(KbPhrasingCheck.Find(knowledge.Document, body!.ArticleId, body.Questions));
    }

    private static async Task<Results<Ok<KbTrialResponse>, ProblemHttpResult>> TryAsync(
        HttpRequest request, KnowledgeRuntime knowledge, CancellationToken ct)
    {
        var (body, problem) = await KnowledgeBaseEndpoints.ReadBodyAsync<KbTrialRequest>(request, ct);
        if (problem is not null)
            return problem;
        var (result, errors) = KbTrial.Run(knowledge, knowledge.MinConfidenceOf(knowledge.Document), body!);
        return result is null ? KnowledgeBaseEndpoints.Invalid(errors, 400) : TypedResults.Ok(result);
    }
}
