using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

public sealed class TurnRetryOptionsValidator : IValidateOptions<TurnRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TurnRetryOptions options) =>
        TurnRetryOptions.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
