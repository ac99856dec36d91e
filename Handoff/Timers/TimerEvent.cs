namespace BotEngine.Handoff;

public abstract record TimerEvent
{
    /// <summary>The dialog was given to an operator (routing or re-attach).</summary>
    public sealed record Assigned : TimerEvent;
    public sealed record ClientMessage : TimerEvent;
    public sealed record OperatorMessage(string? Text) : TimerEvent;
    public sealed record CancelHold : TimerEvent;
    /// <summary>The dialog left the operator (transfer, requeue, back to the bot): operator timers stop.</summary>
    public sealed record Released : TimerEvent;
    public sealed record Closed : TimerEvent;
    public sealed record Fired(TimerKind Kind) : TimerEvent;
}
