using System.Buffers;
using BotEngine.Channels.DirectLine;
using BotEngine.Engine.Files;
using BotEngine.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Middleware;

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
            body = await ReadAtMostAsync(request.Body, request.ContentLength, max, context.RequestAborted);
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

    /// <summary>A declared length up to which the body's array is taken before its bytes arrive.</summary>
    private const int ExactReadBytes = 64 * 1024;

    /// <summary>
    /// The whole body, or null when it passes <paramref name="max"/>. A small body of known length is read straight into
    /// an array of that length (Kestrel ends the stream there); others grow as their bytes arrive, so that a large
    /// declared length costs no memory before it is sent.
    /// </summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long? length, long max, CancellationToken ct)
    {
        if (length is { } known and <= ExactReadBytes)
        {
            var exact = new byte[known];
            // A body cut short stays short, and the JSON check refuses it.
            var read = await body.ReadAtLeastAsync(exact, exact.Length, throwOnEndOfStream: false, ct);
            return read == exact.Length ? exact : exact[..read];
        }
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            // Cleared: a body may hold a password, and the pool hands the array to any later renter in the process.
            ArrayPool<byte>.Shared.Return(chunk, clearArray: true);
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
