namespace BotEngine.Handoff;

public enum HoldKind
{
    /// <summary>Started by a hold pattern: the operator is busy finding an answer.</summary>
    Operator,
    /// <summary>Started by any other operator message: waiting for the client.</summary>
    Client,
}
