using BotEngine.Engine.Knowledge;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.KnowledgeBase;
using BotEngine.Storage.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// What the KB editor page needs besides the CRUD API: the paged articles table, the phrasing check and "test the
/// bot". All read-only (<c>view_kb</c>): trying a draft stores nothing.
/// </summary>
public static class KbEditorEndpoints
{
    public static RouteGroupBuilder MapKbEditorApi(this RouteGroupBuilder kb)
    {
        kb.MapGet("/articles", ListArticlesAsync).RequirePermission(Permission.ViewKb);
        kb.MapPost("/phrasing-check", CheckPhrasingsAsync).RequirePermission(Permission.ViewKb).Accepts<KbPhrasingCheckRequest>("application/json");
        kb.MapPost("/trial", TryAsync).RequirePermission(Permission.ViewKb).Accepts<KbTrialRequest>("application/json");
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
