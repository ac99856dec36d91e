using BotEngine.Bot.Channels.DirectLine;
using BotEngine.Bot.Files;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Http;

/// <summary>Limits on what one request may carry (section <c>Limits</c>).</summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The body limit of every route that declares no larger one.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>The body limit of <c>POST /api/v1/kb/import</c> (an export carries its files in base64).</summary>
    public long MaxKbImportBytes { get; set; } = 100 * 1024 * 1024;
    /// <summary>How deeply objects and arrays may nest in a JSON body.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

/// <summary>Which of the configured body limits a route takes.</summary>
public enum BodyLimit
{
    Default,
    DirectLineActivity,
    KbImport,
    Upload,
}

public sealed record BodyLimitMetadata(BodyLimit Limit);

public static class BodyLimitExtensions
{
    /// <summary>Gives the route one of the configured body limits instead of <see cref="RequestLimitsOptions.MaxBodyBytes"/>.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(limit));
}

/// <summary>
/// Bounds every request body by its route's limit, and reads every JSON body on the API and Direct Line strictly
/// (<see cref="StrictJson"/>) before the endpoint sees it, so each endpoint gets a body it can parse safely.
/// Multipart bodies are left to the upload reader, which has its own limits.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> limits, IOptions<DirectLineOptions> directLine,
    IOptions<FilesOptions> files)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var (max, setting) = (context.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>()?.Limit ?? BodyLimit.Default) switch
        {
            BodyLimit.DirectLineActivity => (directLine.Value.MaxActivityBytes, "DirectLine:MaxActivityBytes"),
            BodyLimit.KbImport => (limits.Value.MaxKbImportBytes, "Limits:MaxKbImportBytes"),
            BodyLimit.Upload => (files.Value.MaxUploadBytes, "Files:MaxUploadBytes"),
            _ => (limits.Value.MaxBodyBytes, "Limits:MaxBodyBytes"),
        };
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = max;
        if (request.ContentLength > max)
        {
            await TooLargeAsync(context, max, setting);
            return;
        }
        if (!TakesJson(request) || request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            await next(context);
            return;
        }

        byte[]? body;
        try
        {
            body = await ReadAtMostAsync(request.Body, max, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
        {
            await TooLargeAsync(context, max, setting);
            return;
        }
        if (StrictJson.Check(body, limits.Value.MaxJsonDepth) is { } problem)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "BadArgument", "The body is not acceptable JSON: " + problem);
            return;
        }
        request.Body = new MemoryStream(body, writable: false);
        await next(context);
    }

    /// <summary>Bodies on the API and Direct Line are JSON unless they are uploads (multipart) or forms.</summary>
    private static bool TakesJson(HttpRequest request) =>
        (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/v3/directline"))
        && !request.HasFormContentType;

    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Task TooLargeAsync(HttpContext context, long max, string setting)
    {
        // The unread rest of the body is not drained: the connection closes after the answer, and the client knows it.
        context.Response.Headers.Connection = "close";
        return ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "MessageSizeTooBig",
            $"The request body is larger than this route accepts: at most {max} bytes ({setting}).");
    }
}

/// <summary>
/// Kestrel's own refusals (a body over the limit, a malformed request) keep their status (413, 400, ...) and get
/// the route's error shape, instead of the generic 500 an unhandled exception gets.
/// </summary>
public sealed class BadRequestExceptionHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted)
            return false;
        var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? "The request body is larger than this route accepts."
            : "The request cannot be read: " + bad.Message;
        await ErrorResponses.WriteAsync(context, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "MessageSizeTooBig" : "BadArgument", message);
        return true;
    }
}

/// <summary>Errors in the shape of the route: Direct Line's <c>{"error":{code,message}}</c>, ProblemDetails elsewhere.</summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int status, string directLineCode, string message)
    {
        var result = context.Request.Path.StartsWithSegments("/v3/directline")
            ? DirectLineEndpoints.Error(status, directLineCode, message)
            : Results.Problem(statusCode: status, title: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail: message);
        return result.ExecuteAsync(context);
    }
}
