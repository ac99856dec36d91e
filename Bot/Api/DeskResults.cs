using BotEngine.Engine.Desk;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>Runs an operator-desk action and answers its <see cref="DeskException"/> as ProblemDetails, for the endpoints that call the desk.</summary>
public static class DeskResults
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Run(Func<Task> action)
    {
        try
        {
            await action();
            return TypedResults.NoContent();
        }
        catch (DeskException ex)
        {
            return ApiEndpoints.Problem(ex);
        }
    }

    /// <summary>As <see cref="Run"/>, for an action whose result is the response body.</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> RunForOk<T>(Func<Task<T>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (DeskException ex)
        {
            return ApiEndpoints.Problem(ex);
        }
    }
}
