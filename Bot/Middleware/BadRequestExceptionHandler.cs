namespace BotEngine.Bot.Middleware;

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
