using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>Refuses agent options out of range at start, naming the option.</summary>
public sealed class AgentOptionsValidation : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
