namespace BotEngine.Bot.Tests.Flow;

/// <summary>Names the failed step of a flow, keeping the failure inside.</summary>
public sealed class FlowStepException(int step, int of, Exception inner)
    : Exception($"Step {step} of {of} failed: {inner.Message}", inner);
