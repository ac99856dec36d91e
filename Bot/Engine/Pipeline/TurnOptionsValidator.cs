using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

public sealed class TurnOptionsValidator : IValidateOptions<TurnOptions>
{
    public ValidateOptionsResult Validate(string? name, TurnOptions options) =>
        TurnOptions.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
