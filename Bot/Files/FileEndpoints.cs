using BotEngine.Engine.Files;
using System.Security.Claims;
using BotEngine.Bot.Auth;
using BotEngine.Channels.DirectLine;
using BotEngine.Http;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BotEngine.Bot.Files;

/// <summary>
/// Upload of files by operators and KB editors (<c>POST /api/v1/files</c>) and serving of every stored file
/// (<c>GET /files/{id}/{name}</c>). The random id is what grants reading, so chat clients and image tags need no
/// credentials. Only plain images are shown inline; everything else is a download, never sniffed.
/// </summary>
public static class FileEndpoints
{
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        // No Accepts metadata: routing would answer another content type with a bare 415, without saying why.
        app.MapPost("/api/v1/files", UploadAsync).WithBodyLimit(BodyLimit.Upload).WithTags("files").DisableAntiforgery()
            .RequirePermission(Permission.SendFiles, Permission.SendPics, Permission.ModifyKnowledgebase);
        app.MapGet("/files/{id}/{name}", ServeAsync).WithTags("files").RequireCors(DirectLineEndpoints.CorsPolicy)
            .AllowPublic("the file's random 128-bit id in the link");
        return app;
    }

    /// <summary>Whether the operator may send (or put in the KB) a file of this kind: pictures need send_pics, other files send_files.</summary>
    public static bool MaySend(ClaimsPrincipal user, bool image) =>
        user.Has(image ? Permission.SendPics : Permission.SendFiles) || user.Has(Permission.ModifyKnowledgebase);

    private static async Task<Results<Created<StoredFileDto>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, FileStore store, FileUrls urls, IOptions<FilesOptions> options, CancellationToken ct)
    {
        var (form, problem) = await UploadReader.ReadAsync(request, options.Value, [], ct);
        if (problem is not null)
            return Problem(problem.Status, problem.Message);
        if (form!.Files.Count != 1)
            return Problem(400, form.Files.Count == 0 ? "file: no file part in the upload" : "file: send one file per request");
        var file = form.Files[0];
        var user = request.HttpContext.User;
        if (!MaySend(user, file.IsImage))
            return Problem(403, $"Your role does not allow uploading {(file.IsImage ? "pictures (send_pics)" : "files (send_files)")}.");
        var kind = user.Has(file.IsImage ? Permission.SendPics : Permission.SendFiles) ? UploaderKinds.Operator : UploaderKinds.KbEditor;
        await store.SaveAsync([file], kind, user.OperatorId(), ct);
        var url = urls.Absolute(file.Id, file.Name, request.Origin());
        return TypedResults.Created(url, new StoredFileDto(file.Id, file.Name, file.ContentType, file.Content.Length, file.Sha256, url, FileUrls.PathOf(file.Id, file.Name)));
    }

    private static async Task<IResult> ServeAsync(string id, string name, HttpContext context, FileStore store, CancellationToken ct)
    {
        var info = FileRules.IsValidId(id) ? await store.FindAsync(id, ct) : null;
        if (info is null)
            return Problem(404, $"id: file '{id}' does not exist.");
        var etag = new EntityTagHeaderValue($"\"{info.Sha256}\"");
        var headers = context.Response.Headers;
        headers.ETag = etag.ToString();
        headers.CacheControl = "private, max-age=31536000, immutable";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Compare(etag, useStrongComparison: false)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        var content = await store.ContentAsync(id, ct);
        if (content is null)
            return Problem(404, $"id: file '{id}' does not exist.");
        // ?preview asks for a PDF inline (the workplace's transcript frames it): only a real PDF, framed only by this
        // engine's own pages, still sandboxed. Without it a PDF downloads, as every other non-image file does.
        var preview = context.Request.Query.ContainsKey("preview") && FileRules.IsPreviewablePdf(info.ContentType, content);
        if (preview)
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'self'; sandbox";
        var disposition = new ContentDispositionHeaderValue(FileRules.IsInlineImage(info.ContentType) || preview ? "inline" : "attachment");
        disposition.SetHttpFileName(info.Name);
        headers.ContentDisposition = disposition.ToString();
        return Results.Bytes(content, FileRules.ServedType(info.ContentType));
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);
}
