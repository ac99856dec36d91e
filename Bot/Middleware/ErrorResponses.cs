using BotEngine.Channels.DirectLine;

namespace BotEngine.Bot.Middleware;

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
