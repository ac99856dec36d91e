namespace BotEngine.Handoff;

/// <summary>What happened, for the dialog's history, statistics and notifications.</summary>
public abstract record DialogEvent(string DialogId, DateTimeOffset At)
{
    public sealed record Queued(string DialogId, DateTimeOffset At, string Reason) : DialogEvent(DialogId, At);
    public sealed record Assigned(string DialogId, DateTimeOffset At, string OperatorId, AssignmentReason Reason, TransferNote? Note) : DialogEvent(DialogId, At);
    public sealed record Accepted(string DialogId, DateTimeOffset At, string OperatorId, TransferNote? Note) : DialogEvent(DialogId, At);
    public sealed record Replied(string DialogId, DateTimeOffset At, string OperatorId, OperatorReply Reply) : DialogEvent(DialogId, At);
    public sealed record Transferred(string DialogId, DateTimeOffset At, string FromOperatorId, TransferTarget Target, TransferNote? Note) : DialogEvent(DialogId, At);
    public sealed record Requeued(string DialogId, DateTimeOffset At, string? FromOperatorId, RequeueReason Reason) : DialogEvent(DialogId, At);
    public sealed record Detached(string DialogId, DateTimeOffset At, string? FromOperatorId) : DialogEvent(DialogId, At);
    public sealed record Reattached(string DialogId, DateTimeOffset At, string? PreferredOperatorId) : DialogEvent(DialogId, At);
    public sealed record Closed(string DialogId, DateTimeOffset At, ClosingInfo Info) : DialogEvent(DialogId, At);
}
