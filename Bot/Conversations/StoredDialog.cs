namespace BotEngine.Conversations;

/// <summary>
/// One dialog as the engine stores it: who owns it (<see cref="State"/>, <see cref="OperatorId"/>, the queue's
/// fields), the bot's memory (<see cref="BotState"/>: scenario, slots, the agent that owns it), the timers
/// (<see cref="TimerState"/>) and the <see cref="Version"/> that every write checks and raises.
/// </summary>
public sealed record StoredDialog
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string Channel { get; init; } = "";
    public string State { get; init; } = "";
    public string Language { get; init; } = "";
    public string? OperatorId { get; init; }
    public string? Line { get; init; }
    public long OpenedAt { get; init; }
    public long? QueuedAt { get; init; }
    public long? AssignedAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseTopic { get; init; }
    public string BotState { get; init; } = "{}";
    public long LastMessageAt { get; init; }
    public long Version { get; init; }
    public string? Handoff { get; init; }
    public string? TimerState { get; init; }
    public string? CallCentre { get; init; }
    public int Priority { get; init; }
    public long? AcceptedAt { get; init; }
    public int? ClientDissatisfied { get; init; }
}
