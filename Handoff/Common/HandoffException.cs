namespace BotEngine.Handoff;

/// <summary>Thrown only when a caller reads the value of a failed result; carries the error for the host's exception mapper.</summary>
public sealed class HandoffException(HandoffError error) : Exception($"{error.Code}: {error.Message}")
{
    public HandoffError Error { get; } = error;
}
