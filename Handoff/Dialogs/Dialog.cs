namespace BotEngine.Handoff;

/// <summary>Who owns the dialog: the bot, the queue, one operator (offered or accepted), nobody (detached) or closed.</summary>
public enum DialogState
{
    Bot,
    Queued,
    /// <summary>Given to an operator who has not accepted it yet; it already takes one of their slots.</summary>
    Assigned,
    /// <summary>Accepted; the operator is talking to the client.</summary>
    Active,
    /// <summary>Released after a client timeout; the client's next message re-queues it preferring the same operator.</summary>
    Detached,
    Closed,
}

public enum CloseReason
{
    Operator,
    ClientTimeout,
    Idle,
    Supervisor,
}

/// <summary>Why a dialog went back to the queue.</summary>
public enum RequeueReason
{
    /// <summary>The operator did not answer in time; other operators are preferred.</summary>
    OperatorTimeout,
    /// <summary>The operator went to lunch, training or offline, or was forced offline.</summary>
    OperatorStatus,
    /// <summary>Returned by a supervisor.</summary>
    Supervisor,
}

/// <summary>A note left by the transferring operator, shown to the receiver before the conversation.</summary>
public sealed record TransferNote(string FromOperatorId, string Text, DateTimeOffset At);

public sealed record ClosingInfo(CloseReason Reason, string? Topic, bool? ClientDissatisfied, string? ClosedBy, DateTimeOffset At);

/// <summary>
/// The handoff part of one dialog. Every transition returns a copy with <see cref="Version"/> + 1, so the host
/// can store it with optimistic concurrency (<c>UPDATE ... WHERE id = @id AND version = @previous</c>).
/// </summary>
public sealed record Dialog
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public DialogState State { get; init; }
    public string? OperatorId { get; init; }
    /// <summary>The last operator who held the dialog (used to re-attach after a detach).</summary>
    public string? LastOperatorId { get; init; }
    public RoutingRequirements Requirements { get; init; } = new();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public TransferNote? PendingNote { get; init; }
    public ClosingInfo? Closing { get; init; }
    public long Version { get; init; }

    public static Dialog StartWithBot(string id, string clientId, DateTimeOffset now) =>
        new() { Id = id, ClientId = clientId, State = DialogState.Bot, CreatedAt = now };

    /// <summary>The snapshot the router needs, or null when the dialog is not queued.</summary>
    public QueuedDialog? ToQueued() =>
        State == DialogState.Queued && QueuedAt is { } at ? new QueuedDialog(Id, ClientId, Requirements, at) : null;

    public bool IsHeldBy(string operatorId) =>
        State is DialogState.Assigned or DialogState.Active && OperatorId == operatorId;
}

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

/// <summary>The new dialog state to store (with its version) and the event to record.</summary>
public sealed record DialogTransition(Dialog Dialog, DialogEvent Event);

public enum AttachmentKind
{
    File,
    Picture,
}

public sealed record OperatorReply(string? Text, IReadOnlyList<AttachmentKind> Attachments)
{
    public static OperatorReply OfText(string text) => new(text, []);
}

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

/// <summary>Where an incoming client message goes (issue items 5a and 6).</summary>
public enum ClientMessageRoute
{
    /// <summary>The bot handles it.</summary>
    Bot,
    /// <summary>Stored; the dialog keeps waiting (the client may be told its place again).</summary>
    Queue,
    /// <summary>Delivered to the owning operator.</summary>
    Operator,
    /// <summary>The dialog was detached: re-queue it preferring the same operator (<see cref="DialogActions.Reattach"/>).</summary>
    Reattach,
    /// <summary>The dialog is closed: start a new dialog with the bot.</summary>
    NewBotDialog,
}
