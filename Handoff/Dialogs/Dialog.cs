namespace BotEngine.Handoff;

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
