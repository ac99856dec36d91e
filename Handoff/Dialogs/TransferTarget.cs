namespace BotEngine.Handoff;

/// <summary>Where an operator sends a dialog.</summary>
public abstract record TransferTarget
{
    public sealed record ToOperator(string OperatorId) : TransferTarget;
    public sealed record ToLine(string Line) : TransferTarget;
    public sealed record ToSkills(IReadOnlySet<string> Skills) : TransferTarget;
    /// <summary>The queue with any of line, language and skills set at once (those left null or empty stay as they were).</summary>
    public sealed record ToGroup(string? Line, string? Language, IReadOnlySet<string> Skills) : TransferTarget;
    public sealed record ToBot : TransferTarget;
}
