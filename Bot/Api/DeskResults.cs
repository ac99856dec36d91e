using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Answers an operator-desk action that succeeded; a refusal it throws (a DeskException) is answered by the host's one
/// mapping (DomainExceptionHandler), so the result types keep ProblemHttpResult for the API's description.
/// </summary>
public static class DeskResults
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Run(Func<Task> action)
    {
        await action();
        return TypedResults.NoContent();
    }

    /// <summary>As <see cref="Run"/>, for an action whose result is the response body.</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> RunForOk<T>(Func<Task<T>> action) => TypedResults.Ok(await action());
}
