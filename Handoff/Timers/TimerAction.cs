namespace BotEngine.Handoff;

/// <summary>Something the host must do as a result of a timer; it applies them through <see cref="DialogActions"/>.</summary>
public abstract record TimerAction
{
    public sealed record SendToClient(string Text) : TimerAction;
    /// <summary>Call <see cref="DialogActions.Requeue"/> with <see cref="RequeueReason.OperatorTimeout"/>.</summary>
    public sealed record Requeue : TimerAction;
    /// <summary>Call <see cref="DialogActions.Detach"/>; send the message first when there is one.</summary>
    public sealed record Detach(string? Message) : TimerAction;
    /// <summary>Call <see cref="DialogActions.CloseBySystem"/>; send the message first when there is one.</summary>
    public sealed record Close(CloseReason Reason, string? Message) : TimerAction;
}
