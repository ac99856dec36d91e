using BotEngine.Channels.DirectLine;

namespace BotEngine.Bot.Middleware;

/// <summary>Errors in the shape of the route: Direct Line's <c>{"error":{code,message}}</c>, ProblemDetails elsewhere.</summary>
public static class ErrorResponses
{
    /// <param name="code">A machine-readable reason for API clients (ProblemDetails' <c>code</c> extension).</param>
    public static Task WriteAsync(HttpContext context, int status, string directLineCode, string message, string? code = null)
    {
        var result = context.Request.Path.StartsWithSegments("/v3/directline")
            ? DirectLineEndpoints.Error(status, directLineCode, message)
            : Results.Problem(statusCode: status, title: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail: message,
                extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });
        return result.ExecuteAsync(context);
    }
}
